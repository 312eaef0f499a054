import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";

import { consoleError, required } from "./env";

// Run by scripts/local-run-e2e.sh against the stack scripts/mamos-local.sh started, as a newcomer
// meets it: the dashboard URL it printed, the admin password from the file it named, a first job
// from the new-job form and its output. The other specs run against scripts/dashboard-e2e.sh's stack.

test("the local run's dashboard: sign in, run a first job from the new-job form, see its output", async ({
  page,
}) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(consoleError(page.url(), message));
  });
  page.on("pageerror", (error) => errors.push(`${page.url()}: uncaught ${error.message}`));

  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill(readFileSync(required("E2E_ADMIN_PASSWORD_FILE"), "utf8").trim());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toContainText("admin");
  await expect(page.getByTestId("health-orchestrator")).toContainText("UP");
  // The local agent has just started: online once its first heartbeat is in, shown live.
  await expect(page.getByTestId("stat-online")).toHaveText("1", { timeout: 60_000 });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs", exact: true }).click();
  await page.getByRole("link", { name: "New job" }).click();
  // The one agent, online, is chosen already.
  await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(1);
  await page.getByLabel("Command").selectOption("echo");
  await page.getByLabel("Arguments").fill("hello from the local run");
  await page.getByRole("button", { name: "Run job" }).click();

  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("job-state")).toContainText("Succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("job-stdout")).toHaveText("hello from the local run");
  await expect(page.getByTestId("job-exit-code")).toHaveText("0");
  await page.screenshot({ path: `${required("E2E_SCREENSHOT_DIR")}/local-run-first-job.png`, fullPage: true });
  expect(errors, "console errors").toEqual([]);
});
