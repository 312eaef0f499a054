import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

import { consoleError, env } from "./env";

// One signed-in browser page walks through the dashboard in order, like a person would:
// sign in, see the agent, run commands, cancel one, enroll, look at monitoring, sign out.
// After every step the page must not have logged a console error.
//
// Users, the audit log, token revocation and the VIEWER role: e2e/users-and-roles.spec.ts.

test.describe.configure({ mode: "serial" });

let page: Page;
const consoleErrors: string[] = [];

async function screenshot(name: string) {
  await page.screenshot({ path: path.join(env.screenshotDir, `${name}.png`), fullPage: true });
}

/** Marks the document; the mark survives client-side updates but not a reload. */
async function markDocument() {
  await page.evaluate(() => ((window as unknown as { __e2eMark: boolean }).__e2eMark = true));
}
async function expectNotReloaded() {
  expect(await page.evaluate(() => (window as unknown as { __e2eMark?: boolean }).__e2eMark)).toBe(true);
}

/** A link of the main navigation. */
function navLink(name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

async function apiToken(): Promise<string> {
  const response = await page.request.post(`${env.apiUrl}/api/v1/auth/token`, {
    data: { username: "admin", password: env.adminPassword() },
  });
  expect(response.ok()).toBe(true);
  return (await response.json()).accessToken as string;
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(consoleError(page.url(), message));
  });
  page.on("pageerror", (error) => consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
});

test.afterEach(() => {
  const errors = consoleErrors.splice(0);
  expect(errors, "console errors").toEqual([]);
});

test.afterAll(async () => {
  await page.close();
});

test("an anonymous visitor is sent to the login page", async () => {
  await page.goto("/jobs");
  await expect(page).toHaveURL(/\/login\?next=%2Fjobs$/);
  await expect(page.getByRole("heading", { name: "MAMOS" })).toBeVisible();
});

test("a wrong password is refused", async () => {
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong user name or password.")).toBeVisible();
});

test("the admin signs in with the keyboard; the token stays in an httpOnly cookie", async () => {
  await page.goto("/login?next=%2F");
  await screenshot("01-login");
  // The user name field has focus on arrival; Tab to the password, Enter submits.
  await expect(page.getByLabel("User name")).toBeFocused();
  await page.keyboard.type("admin");
  await page.keyboard.press("Tab");
  await page.keyboard.type(env.adminPassword());
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("current-user")).toContainText("admin");

  const session = (await page.context().cookies()).find((cookie) => cookie.name === "mamos_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
  expect(stored).not.toContain(session!.value);
  expect(await page.evaluate(() => document.cookie)).not.toContain("mamos_session");
});

test("the overview shows the agent online and the orchestrator healthy", async () => {
  await expect(page.getByTestId("health-orchestrator")).toContainText("UP");
  // The agent heartbeats every 2 s; the overview updates over the live feed, no reload.
  await expect(page.getByTestId("stat-online")).toHaveText("1", { timeout: 30_000 });
  await expect(page.locator("[data-live-status=open]").first()).toBeVisible();
  await screenshot("02-overview");
});

test("the agents page lists the agent ONLINE with CPU, RAM and disk; search and filter work", async () => {
  await navLink("Agents").click();
  await expect(page).toHaveURL(/\/agents$/);
  const row = page.getByRole("row").filter({ hasText: env.agentHostname });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Online")).toBeVisible();
  await expect(row.getByRole("meter", { name: /^CPU of/ })).toBeVisible();
  await expect(row.getByRole("meter", { name: /^Memory of/ })).toBeVisible();
  await expect(row.getByRole("meter", { name: /^Disk of/ })).toBeVisible();
  await screenshot("03-agents");

  await page.getByLabel("Status").selectOption("OFFLINE");
  await expect(page.getByText("No agents match.")).toBeVisible();
  await page.getByLabel("Status").selectOption("");
  await page.getByLabel("Search").fill("no-such-host");
  await expect(page.getByText("No agents match.")).toBeVisible();
  await page.getByLabel("Search").fill(env.agentHostname);
  await expect(row).toHaveCount(1);
});

test("the agent page shows its metric charts and decommissioning behind a confirmation", async () => {
  await page.getByRole("link", { name: env.agentHostname }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(env.agentHostname);
  await expect(page.getByRole("img", { name: /^CPU: latest/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Memory: latest/ })).toBeVisible();
  // Opening the confirmation and backing out leaves the agent online.
  await page.getByRole("button", { name: "Decommission" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(`Decommission ${env.agentHostname}?`);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("alertdialog")).toBeHidden();
  await screenshot("04-agent-detail");
});

test("the new-job form offers only whitelisted commands and checks arguments", async () => {
  await page.goto("/jobs");
  await page.getByRole("link", { name: "New job" }).click();
  await expect(page).toHaveURL(/\/jobs\/new$/);
  const commands = await page.getByLabel("Command").locator("option").evaluateAll((options) =>
    options.map((option) => (option as HTMLOptionElement).value),
  );
  const policy = await (
    await page.request.get(`${env.apiUrl}/api/v1/commands`, {
      headers: { Authorization: `Bearer ${await apiToken()}` },
    })
  ).json();
  expect(commands).toEqual(policy.items.map((item: { name: string }) => item.name));

  await page.getByLabel("Command").selectOption("sleep");
  await page.getByLabel("Arguments").fill("ten");
  // The orchestrator's dry run of the job as typed answers with the policy's refusal.
  await expect(page.getByText(/would refuse this job: .*violates pattern/)).toBeVisible();
  await page.getByRole("button", { name: "Run job" }).click();
  await expect(page).toHaveURL(/\/jobs\/new$/);
  await screenshot("05-new-job-invalid");
});

test("running echo shows its output without a reload", async () => {
  // The first online agent is chosen already; checked again in case it had missed a heartbeat
  // when the form loaded (a chosen agent may be offline: its run waits for it).
  await page.getByRole("checkbox", { name: env.agentHostname, exact: true }).check();
  await page.getByLabel("Command").selectOption("echo");
  await page.getByLabel("Arguments").fill(`hello "from the dashboard"`);
  await markDocument();
  await page.getByRole("button", { name: "Run job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("job-state")).toContainText("Succeeded", { timeout: 30_000 });
  await expect(page.getByTestId("job-stdout")).toHaveText("hello from the dashboard");
  await expect(page.getByTestId("job-exit-code")).toHaveText("0");
  await expect(page.getByRole("link", { name: /history in temporal/i })).toHaveAttribute(
    "href",
    /\/namespaces\/default\/workflows\/job-/,
  );
  await expectNotReloaded();
  await screenshot("06-job-succeeded");
});

test("a long job turns RUNNING live and can be canceled", async () => {
  await page.goto("/jobs/new");
  await page.getByLabel("Command").selectOption("sleep");
  await page.getByLabel("Arguments").fill("20");
  await markDocument();
  await page.getByRole("button", { name: "Run job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("job-state")).toContainText("Running", { timeout: 30_000 });
  await expect(page.getByRole("heading", { name: "Live output" })).toBeVisible();
  await screenshot("07-job-running");

  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByTestId("job-state")).toContainText("Canceled", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Cancel job" })).toBeHidden();
  await expectNotReloaded();
  await screenshot("08-job-canceled");
});

test("the jobs list filters by state and shows a new job without a reload", async () => {
  await navLink("Jobs").click();
  await expect(page).toHaveURL(/\/jobs$/);
  const rows = page.locator("tr[data-job-id]");
  await expect(rows.filter({ hasText: "echo hello" }).first()).toContainText("Succeeded");
  await expect(rows.filter({ hasText: "sleep 20" }).first()).toContainText("Canceled");
  const all = await rows.count();
  await page.getByLabel("State").selectOption("CANCELED");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/state=CANCELED/);
  await expect(rows.filter({ hasText: "sleep 20" }).first()).toBeVisible();
  await expect(rows.filter({ hasNotText: "Canceled" })).toHaveCount(0);
  await page.getByRole("link", { name: "Clear" }).click();
  await expect(rows).toHaveCount(all);
  await expect(page.getByLabel("State")).toHaveValue("");

  // A job submitted elsewhere (here: straight to the API) appears through the live feed.
  await markDocument();
  const token = await apiToken();
  const agents = await (
    await page.request.get(`${env.apiUrl}/api/v1/agents?status=ONLINE`, { headers: { Authorization: `Bearer ${token}` } })
  ).json();
  const submitted = await page.request.post(`${env.apiUrl}/api/v1/jobs`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { agentId: agents.items[0].id, command: "uname", args: ["-s"], timeoutSeconds: 30 },
  });
  expect(submitted.status()).toBe(202);
  const job = await submitted.json();
  await expect(page.locator(`tr[data-job-id="${job.id}"]`)).toContainText("Succeeded", { timeout: 30_000 });
  await expectNotReloaded();
  await screenshot("09-jobs");
});

test("an admin creates an enrollment token, shown once with the install command", async () => {
  await navLink("Enrollment").click();
  await expect(page).toHaveURL(/\/enrollment$/);
  const before = await page.getByRole("row").count();
  await page.getByLabel("Valid for").selectOption("900");
  await page.getByRole("button", { name: "Create token" }).click();
  const command = page.getByTestId("install-command");
  await expect(command).toContainText(`java -jar mamos-agent.jar enroll --server ${env.apiUrl} --token `);
  await expect(command).toContainText("&& java -jar mamos-agent.jar run");
  const token = (await page.getByTestId("enrollment-token").textContent())!;
  expect(await command.textContent()).toContain(`--token ${token} `);
  await expect(page.getByRole("row")).toHaveCount(before + 1);
  await expect(page.getByRole("row").nth(1)).toContainText("Active");
  await screenshot("10-enrollment");
  // Shown once: after a reload only the list remains, without the secret.
  await page.reload();
  await expect(page.getByTestId("install-command")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(token);
});

test("the Grafana page links the MAMOS Overview dashboard", async () => {
  await navLink("Grafana").click();
  await expect(page).toHaveURL(/\/grafana$/);
  await expect(page.getByRole("link", { name: /open in grafana/i })).toHaveAttribute("href", /\/d\/mamos-overview/);
  await expect(page.locator("iframe[title='MAMOS Overview dashboard in Grafana']")).toHaveAttribute(
    "src",
    /\/d\/mamos-overview.*kiosk/,
  );
  await screenshot("11-grafana");
});

test("dark mode can be switched on and is remembered", async () => {
  await page.goto("/");
  await page.getByRole("button", { name: "Toggle dark mode" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByTestId("stat-online")).toHaveText("1");
  await screenshot("12-overview-dark");
  await page.getByRole("button", { name: "Toggle dark mode" }).click();
  await expect(page.locator("html")).not.toHaveClass(/dark/);
});

test("signing out clears the session", async () => {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  expect((await page.context().cookies()).some((cookie) => cookie.name === "mamos_session")).toBe(false);
  await page.goto("/agents");
  await expect(page).toHaveURL(/\/login\?next=%2Fagents$/);
});
