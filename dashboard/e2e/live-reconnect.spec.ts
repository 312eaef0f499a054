import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";

import { consoleError, env } from "./env";

// The live feed survives an orchestrator restart: the page notices the socket closed, keeps
// retrying with fresh tickets, and once the orchestrator is back it reconnects and updates
// again, all without a reload. scripts/dashboard-e2e.sh restarts the orchestrator when this
// test asks for it (by creating E2E_RESTART_REQUEST_FILE).

/** What a browser logs while its server is away; anything else is a real error. */
const OUTAGE_NOISE = [
  /WebSocket connection to '.*' failed/,
  /Failed to load resource: the server responded with a status of 5\d\d/,
];

test("the live feed reconnects after the orchestrator restarts", async ({ page }) => {
  test.skip(!env.restartRequestFile, "run through scripts/dashboard-e2e.sh, which restarts the orchestrator");
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && !OUTAGE_NOISE.some((noise) => noise.test(message.text()))) {
      errors.push(consoleError(page.url(), message));
    }
  });
  page.on("pageerror", (error) => errors.push(`uncaught ${error.message}`));

  await page.goto("/login?next=%2Fjobs");
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill(env.adminPassword());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  const live = page.locator("header [data-live-status]");
  await expect(live).toHaveAttribute("data-live-status", "open");
  await page.evaluate(() => ((window as unknown as { __e2eMark: boolean }).__e2eMark = true));

  writeFileSync(env.restartRequestFile!, "restart the orchestrator\n");
  await expect(live).toHaveAttribute("data-live-status", "reconnecting", { timeout: 60_000 });
  await page.screenshot({ path: path.join(env.screenshotDir, "13-live-reconnecting.png") });
  await expect(live).toHaveAttribute("data-live-status", "open", { timeout: 150_000 });

  const login = await page.request.post(`${env.apiUrl}/api/v1/auth/token`, {
    data: { username: "admin", password: env.adminPassword() },
  });
  const headers = { Authorization: `Bearer ${(await login.json()).accessToken}` };
  const agents = await (await page.request.get(`${env.apiUrl}/api/v1/agents`, { headers })).json();
  const agent = agents.items.find((item: { hostname: string }) => item.hostname === env.agentHostname);
  const submitted = await page.request.post(`${env.apiUrl}/api/v1/jobs`, {
    headers,
    data: { agentId: agent.id, command: "echo", args: ["after the restart"], timeoutSeconds: 30 },
  });
  expect(submitted.status()).toBe(202);
  const job = await submitted.json();
  await expect(page.locator(`tr[data-job-id="${job.id}"]`)).toContainText("Succeeded", { timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { __e2eMark?: boolean }).__e2eMark)).toBe(true);
  expect(errors, "console errors").toEqual([]);
});
