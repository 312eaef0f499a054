import path from "node:path";
import { expect, test, type Page } from "@playwright/test";

import { consoleError, env } from "./env";

// Fan-out and schedules (issue #7) in a real browser against the real orchestrator with two
// real agents: the first one of the other specs, and a second one that scripts/dashboard-e2e.sh
// enrolled with labels env=e2e,role=web. An admin labels the first agent, previews selectors,
// runs a job on the agents a selector picks one at a time, cancels a job running on all of them,
// and creates, fires, pauses, resumes and deletes a schedule, which a viewer only reads. Pages
// are shot in light and dark.

test.describe.configure({ mode: "serial" });

const SECOND = env.secondAgentHostname;
const SCHEDULE = `e2e-schedule-${Date.now().toString(36)}`;

let page: Page;
const consoleErrors: string[] = [];

/** A screenshot in the light theme, then the same page in the dark one. */
async function screenshots(name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator("html")).toHaveClass(scheme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
    await page.screenshot({ path: path.join(env.screenshotDir, `${name}-${scheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** The agents table's row of this hostname (one hostname may be a prefix of another). */
function agentRow(hostname: string) {
  return page.locator("tr[data-agent-id]").filter({ has: page.getByRole("link", { name: hostname, exact: true }) });
}

function navLink(name: string) {
  return page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

async function apiHeaders(): Promise<Record<string, string>> {
  const response = await page.request.post(`${env.apiUrl}/api/v1/auth/token`, {
    data: { username: "admin", password: env.adminPassword() },
  });
  expect(response.ok()).toBe(true);
  return { Authorization: `Bearer ${(await response.json()).accessToken}` };
}

function jobIdFromUrl(): string {
  return /\/jobs\/([0-9a-f-]{36})$/.exec(page.url())![1];
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

test("the admin signs in and sees both agents, the second with its enrollment labels", async () => {
  await page.goto("/login?next=%2Fagents");
  await page.getByLabel("User name").fill("admin");
  await page.getByLabel("Password", { exact: true }).fill(env.adminPassword());
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/agents$/);
  const second = agentRow(SECOND);
  // It was started just before this spec: its first heartbeat may take a few liveness rounds.
  await expect(second.getByText("Online")).toBeVisible({ timeout: 90_000 });
  await expect(second.getByRole("list", { name: "Labels" }).getByRole("listitem")).toHaveText(["env=e2e", "role=web"]);
  await expect(agentRow(env.agentHostname).getByText("Online")).toBeVisible({ timeout: 30_000 });
  await screenshots("19-agents-labels");
});

test("the admin labels the first agent on its page", async () => {
  await page.getByRole("link", { name: env.agentHostname, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(env.agentHostname);
  await page.getByRole("button", { name: "Edit labels" }).click();
  await page.getByRole("textbox", { name: "Labels" }).fill("env=e2e, role=db");
  await page.getByRole("button", { name: "Save labels" }).click();
  await expect(page.getByRole("button", { name: "Edit labels" })).toBeVisible();
  await expect(page.getByRole("list", { name: "Labels" }).getByRole("listitem")).toHaveText(["env=e2e", "role=db"]);
  const agents = await (await page.request.get(`${env.apiUrl}/api/v1/agents`, { headers: await apiHeaders() })).json();
  const first = agents.items.find((agent: { hostname: string }) => agent.hostname === env.agentHostname);
  expect(first.labels).toEqual({ env: "e2e", role: "db" });
  await screenshots("20-agent-labels");
});

test("an enrollment token carries labels", async () => {
  await navLink("Enrollment").click();
  await page.getByLabel("Labels (optional)").fill("env=e2e, role=spare");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("enrollment-token")).toBeVisible();
  await expect(
    page.locator("tr[data-token-id]").filter({ hasText: "role=spare" }).first().getByRole("listitem"),
  ).toHaveText(["env=e2e", "role=spare"]);
});

test("the selector preview shows which online agents match", async () => {
  await page.goto("/jobs/new");
  await page.getByRole("radio", { name: "Label selector" }).check();
  const selector = page.getByLabel("Selector", { exact: true });
  const preview = page.getByTestId("target-preview");
  await selector.fill("role=web");
  await expect(preview).toContainText("Matches 1 of 2 online agents now:");
  await expect(preview.locator("[data-agent]")).toHaveAttribute("data-agent", SECOND);
  await selector.fill("role in (web,api");
  // The orchestrator's selector grammar answers, through the dry run.
  await expect(page.getByRole("alert").filter({ hasText: /Invalid request/ }).first()).toBeVisible();
  await selector.fill("env=e2e,role in (web,db)");
  await expect(preview).toContainText("Matches 2 of 2 online agents now:");
  await screenshots("21-new-job-selector");
});

test("a job on a selector runs on both agents one after the other", async () => {
  await page.getByLabel("Command").selectOption("echo");
  await page.getByLabel("Arguments").fill("fanned out");
  await page.getByLabel("Concurrency").fill("1");
  await page.getByRole("button", { name: "Run job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("job-state")).toContainText("Succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("job-targets")).toHaveText("selector env=e2e,role in (web,db)");
  await expect(page.getByTestId("run-summary-badges").locator("[data-summary-state=SUCCEEDED]")).toHaveText("Succeeded2");
  const rows = page.locator("tr[data-run-agent]");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: SECOND })).toContainText("Succeeded");
  await page.getByRole("button", { name: `Show output of ${SECOND}` }).click();
  await expect(page.getByTestId("run-stdout")).toHaveText("fanned out");
  await screenshots("22-job-fan-out");

  // Concurrency 1: the second run started only after the first had finished.
  const runs = await (
    await page.request.get(`${env.apiUrl}/api/v1/jobs/${jobIdFromUrl()}/runs?page=0&size=50`, { headers: await apiHeaders() })
  ).json();
  const [a, b] = (runs.items as { startedAt: string; finishedAt: string }[]).sort((x, y) => x.startedAt.localeCompare(y.startedAt));
  expect(Date.parse(b.startedAt)).toBeGreaterThanOrEqual(Date.parse(a.finishedAt));
});

test("the jobs list shows the target and the run summary", async () => {
  const id = jobIdFromUrl();
  await navLink("Jobs").click();
  const row = page.locator(`tr[data-job-id="${id}"]`);
  await expect(row).toContainText("selector env=e2e,role in (web,db)");
  await expect(row.getByRole("img", { name: "2 runs: 2 succeeded" })).toBeVisible();
  await screenshots("23-jobs-list");
});

test("an argument with a fixed set of values is chosen from a list", async () => {
  const policy = await (await page.request.get(`${env.apiUrl}/api/v1/commands`, { headers: await apiHeaders() })).json();
  const date = policy.items.find((item: { name: string }) => item.name === "date");
  await page.goto("/jobs/new");
  await page.getByLabel("Command").selectOption("date");
  const format = page.getByLabel(`${date.args[0].name} (optional)`);
  const options = await format.locator("option").evaluateAll((items) => items.map((item) => (item as HTMLOptionElement).value));
  expect(options).toEqual(["", ...date.args[0].enum]);
  await format.selectOption("-u");
  await page.getByRole("button", { name: "Run job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("date -u");
  await expect(page.getByTestId("job-state")).toContainText("Succeeded", { timeout: 60_000 });
  await expect(page.getByTestId("job-stdout")).toContainText("UTC");
});

test("canceling a job on all agents stops every run", async () => {
  await page.goto("/jobs/new");
  await page.getByRole("radio", { name: "All online agents" }).check();
  await expect(page.getByTestId("target-preview")).toContainText("2 agents are online now.");
  await page.getByLabel("Command").selectOption("sleep");
  await page.getByLabel("Arguments").fill("30");
  await page.getByRole("button", { name: "Run job" }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.locator("tr[data-run-agent][data-state=RUNNING]")).toHaveCount(2, { timeout: 30_000 });
  await page.getByRole("button", { name: `Show output of ${SECOND}` }).click();
  await expect(page.getByTestId("run-live-output")).toBeVisible();
  await screenshots("24-job-fan-out-running");
  await page.getByRole("button", { name: "Cancel job" }).click();
  await expect(page.getByTestId("job-state")).toContainText("Canceled", { timeout: 30_000 });
  await page.getByLabel("State", { exact: true }).selectOption("CANCELED");
  await expect(page.locator("tr[data-run-agent][data-state=CANCELED]")).toHaveCount(2, { timeout: 30_000 });
  await screenshots("25-job-fan-out-canceled");
});

test("a schedule is created with a cron hint and the shared job fields", async () => {
  await navLink("Schedules").click();
  await expect(page).toHaveURL(/\/schedules$/);
  await page.getByRole("link", { name: "New schedule" }).click();
  await page.getByLabel("Name").fill(SCHEDULE);
  await page.getByLabel("Cron (UTC)").fill("0 3 * * 1");
  // The next firings as Temporal computes them (Mondays at 03:00 UTC).
  await expect(page.getByTestId("cron-hint")).toHaveText(/^Next runs: (\d{4}-\d\d-\d\d 03:00:00 UTC(, |\.)){3}$/);
  await page.getByRole("radio", { name: "Label selector" }).check();
  await page.getByLabel("Selector", { exact: true }).fill("role=web");
  await page.getByLabel("Command").selectOption("echo");
  await page.getByLabel("Arguments").fill("from a schedule");
  await screenshots("26-new-schedule");
  await page.getByRole("button", { name: "Create schedule" }).click();
  await expect(page).toHaveURL(/\/schedules$/);
  const row = page.locator(`tr[data-schedule-name="${SCHEDULE}"]`);
  await expect(row.getByTestId("schedule-state")).toHaveText("Active");
  await expect(row.getByRole("list", { name: `Next runs of ${SCHEDULE}` }).getByRole("listitem")).toHaveCount(3);
  // The row shows the cron as entered and the next firings Temporal computed (Mondays, 03:00 UTC);
  // it no longer describes the cron in words, which took a second copy of the grammar.
  await expect(row).toContainText("0 3 * * 1");
  await expect(row.getByRole("list", { name: `Next runs of ${SCHEDULE}` })).toContainText(/\d{4}-\d\d-\d\d 03:00:00 UTC/);
  await expect(row).toContainText("on selector role=web");
});

test("triggering a schedule starts a job that runs on the selected agent", async () => {
  const row = page.locator(`tr[data-schedule-name="${SCHEDULE}"]`);
  await row.getByRole("button", { name: `Trigger ${SCHEDULE} now` }).click();
  const jobLink = row.getByRole("list", { name: `Recent jobs of ${SCHEDULE}` }).getByRole("link").first();
  await expect(jobLink).toBeVisible({ timeout: 30_000 });
  await screenshots("27-schedules");
  await jobLink.click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("job-state")).toContainText("Succeeded", { timeout: 60_000 });
  // One run: the job page looks as for a single-agent job.
  await expect(page.getByTestId("job-stdout")).toHaveText("from a schedule");
  await expect(page.getByRole("link", { name: SECOND, exact: true })).toBeVisible();
});

test("a viewer reads schedules and labels but gets no controls", async ({ browser }) => {
  const headers = await apiHeaders();
  const viewer = `e2e-sched-viewer-${Date.now().toString(36)}`;
  const password = `viewer-password-${Math.random().toString(36).slice(2)}`;
  const created = await page.request.post(`${env.apiUrl}/api/v1/users`, {
    headers,
    data: { username: viewer, password, role: "VIEWER" },
  });
  expect(created.status()).toBe(201);
  const context = await browser.newContext();
  try {
    const viewerPage = await context.newPage();
    await viewerPage.goto("/login?next=%2Fschedules");
    await viewerPage.getByLabel("User name").fill(viewer);
    await viewerPage.getByLabel("Password", { exact: true }).fill(password);
    await viewerPage.getByRole("button", { name: "Sign in" }).click();
    await expect(viewerPage).toHaveURL(/\/schedules$/);
    const row = viewerPage.locator(`tr[data-schedule-name="${SCHEDULE}"]`);
    await expect(row.getByTestId("schedule-state")).toHaveText("Active");
    await expect(row.getByRole("button")).toHaveCount(0);
    await expect(viewerPage.getByRole("link", { name: "New schedule" })).toHaveCount(0);
    await viewerPage.goto("/schedules/new");
    await expect(viewerPage.getByTestId("forbidden")).toBeVisible();
    await viewerPage.goto("/agents");
    await viewerPage.getByRole("link", { name: SECOND, exact: true }).click();
    await expect(viewerPage.getByRole("list", { name: "Labels" }).getByRole("listitem")).toHaveText(["env=e2e", "role=web"]);
    await expect(viewerPage.getByRole("button", { name: "Edit labels" })).toHaveCount(0);
  } finally {
    await context.close();
    await page.request.delete(`${env.apiUrl}/api/v1/users/${viewer}`, { headers });
  }
});

test("a schedule is paused, resumed and deleted", async () => {
  await navLink("Schedules").click();
  const row = page.locator(`tr[data-schedule-name="${SCHEDULE}"]`);
  await row.getByRole("button", { name: `Pause ${SCHEDULE}` }).click();
  await expect(row.getByTestId("schedule-state")).toHaveText("Paused");
  await row.getByRole("button", { name: `Resume ${SCHEDULE}` }).click();
  await expect(row.getByTestId("schedule-state")).toHaveText("Active");
  await row.getByRole("button", { name: `Delete ${SCHEDULE}` }).click();
  await expect(page.getByRole("alertdialog")).toContainText(`Delete the schedule ${SCHEDULE}?`);
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0);
  const schedules = await (await page.request.get(`${env.apiUrl}/api/v1/schedules`, { headers: await apiHeaders() })).json();
  expect(schedules.items.map((item: { name: string }) => item.name)).not.toContain(SCHEDULE);
});
