import path from "node:path";
import { expect, request, test, type BrowserContext, type Page } from "@playwright/test";

import { consoleError, env } from "./env";

// Administration and the VIEWER role, in a real browser against the real orchestrator:
// an admin creates a viewer on the Users page, reads the audit log and revokes an enrollment
// token; the viewer then signs in and finds no run, cancel, decommission or admin controls,
// and the admin pages refuse them. A server action sent with the viewer's session (from an
// admin's page) is refused by the orchestrator itself (403). Finally the admin deletes the
// viewer. No page may log a console error.

test.describe.configure({ mode: "serial" });

const VIEWER = `e2e-viewer-${Date.now().toString(36)}`;
const VIEWER_PASSWORD = `viewer-password-${Math.random().toString(36).slice(2)}`;

let page: Page;
let adminContext: BrowserContext | undefined;
let runningJobId: string | undefined;
const consoleErrors: string[] = [];

function watchConsole(target: Page) {
  target.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(consoleError(target.url(), message));
  });
  target.on("pageerror", (error) => consoleErrors.push(`${target.url()}: uncaught ${error.message}`));
}

async function screenshot(target: Page, name: string) {
  await target.screenshot({ path: path.join(env.screenshotDir, `${name}.png`), fullPage: true });
}

function navLink(target: Page, name: string) {
  return target.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true });
}

async function signIn(target: Page, username: string, password: string) {
  await target.goto("/login?next=%2F");
  await target.getByLabel("User name").fill(username);
  await target.getByLabel("Password", { exact: true }).fill(password);
  await target.getByRole("button", { name: "Sign in" }).click();
  await expect(target).toHaveURL(/\/$/);
  await expect(target.getByTestId("current-user")).toContainText(username);
}

async function adminHeaders(target: Page): Promise<Record<string, string>> {
  const response = await target.request.post(`${env.apiUrl}/api/v1/auth/token`, {
    data: { username: "admin", password: env.adminPassword() },
  });
  expect(response.ok()).toBe(true);
  return { Authorization: `Bearer ${(await response.json()).accessToken}` };
}

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  watchConsole(page);
});

test.afterEach(() => {
  const errors = consoleErrors.splice(0);
  expect(errors, "console errors").toEqual([]);
});

test.afterAll(async () => {
  await page.close();
  await adminContext?.close();
  // Do not leave the sleeping job of the viewer test running for the next spec.
  if (runningJobId) {
    const api = await request.newContext();
    const login = await api.post(`${env.apiUrl}/api/v1/auth/token`, {
      data: { username: "admin", password: env.adminPassword() },
    });
    await api.post(`${env.apiUrl}/api/v1/jobs/${runningJobId}/cancel`, {
      headers: { Authorization: `Bearer ${(await login.json()).accessToken}` },
    });
    await api.dispose();
  }
});

test("an admin creates a VIEWER on the Users page; the form checks its input first", async () => {
  await signIn(page, "admin", env.adminPassword());
  await navLink(page, "Users").click();
  await expect(page).toHaveURL(/\/users$/);
  const adminRow = page.locator('tr[data-username="admin"]');
  await expect(adminRow).toContainText("ADMIN");
  await expect(adminRow.getByRole("button", { name: "Delete user admin" })).toBeDisabled();

  await page.getByLabel("User name").fill(VIEWER);
  await page.getByLabel("Password", { exact: true }).fill("too-short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("A password has at least 12 characters.")).toBeVisible();
  await expect(page.locator(`tr[data-username="${VIEWER}"]`)).toHaveCount(0);

  await page.getByLabel("Password", { exact: true }).fill(VIEWER_PASSWORD);
  await page.getByLabel("Repeat password").fill(VIEWER_PASSWORD);
  await page.getByLabel("Role").selectOption("VIEWER");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText(`Created ${VIEWER} (VIEWER).`)).toBeVisible();
  await expect(page.locator(`tr[data-username="${VIEWER}"]`)).toContainText("VIEWER");
  await expect(page.getByLabel("User name")).toHaveValue("");
  await screenshot(page, "20-users");

  // The same name again: the orchestrator's 409 is shown.
  await page.getByLabel("User name").fill(VIEWER);
  await page.getByLabel("Password", { exact: true }).fill(VIEWER_PASSWORD);
  await page.getByLabel("Repeat password").fill(VIEWER_PASSWORD);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already exists" })).toBeVisible();
});

test("the audit log shows the new user and pages", async () => {
  await navLink(page, "Audit").click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.locator('tr[data-audit-action="user.created"]').filter({ hasText: VIEWER })).toContainText(
    "admin",
  );
  await expect(page.locator('tr[data-audit-action="login"]').first()).toBeVisible();
  const pages = page.getByRole("navigation", { name: "Pages" });
  await expect(pages).toContainText(/Page 1 of \d+ · \d+ events/);
  await expect(pages.getByRole("button", { name: "Newer" })).toBeDisabled();
  await screenshot(page, "21-audit");
  const older = pages.getByRole("link", { name: "Older" });
  if ((await older.count()) > 0) {
    await older.click();
    await expect(page).toHaveURL(/\/audit\?page=1$/);
    await expect(pages).toContainText("Page 2 of");
  } else {
    await page.goto("/audit?page=5");
    await expect(page.getByText("No events on this page.")).toBeVisible();
  }
});

test("an admin revokes an unused enrollment token behind a confirmation", async () => {
  await navLink(page, "Enrollment").click();
  await expect(page).toHaveURL(/\/enrollment$/);
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("enrollment-token")).toBeVisible();
  const row = page.locator("tr[data-token-id]").first();
  await expect(row).toContainText("Active");
  const id = (await row.getAttribute("data-token-id"))!;
  const tokenRow = page.locator(`tr[data-token-id="${id}"]`);

  await tokenRow.getByRole("button", { name: `Revoke token ${id.slice(0, 8)}` }).click();
  await expect(page.getByRole("alertdialog")).toContainText(`Revoke token ${id.slice(0, 8)}?`);
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  await expect(tokenRow).toContainText("Revoked");
  await expect(tokenRow.getByRole("button", { name: /Revoke/ })).toHaveCount(0);
  await screenshot(page, "22-enrollment-revoked");

  // Revoking it again (straight to the API) is refused with a problem the UI would show.
  const again = await page.request.delete(`${env.apiUrl}/api/v1/enrollment-tokens/${id}`, {
    headers: await adminHeaders(page),
  });
  expect(again.status()).toBe(409);
  expect((await again.json()).type).toMatch(/enrollment-token-not-revocable$/);
});

test("the viewer signs in and sees agents and jobs without any controls", async () => {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, VIEWER, VIEWER_PASSWORD);
  await expect(page.getByTestId("current-user")).toContainText("VIEWER");

  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(navLink(page, "Agents")).toBeVisible();
  await expect(navLink(page, "Jobs")).toBeVisible();
  for (const name of ["Enrollment", "Users", "Audit"]) {
    await expect(nav.getByRole("link", { name, exact: true })).toHaveCount(0);
  }

  await navLink(page, "Agents").click();
  const agentRow = page.getByRole("row").filter({ hasText: env.agentHostname });
  await expect(agentRow).toHaveCount(1);
  await page.getByRole("link", { name: env.agentHostname }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(env.agentHostname);
  await expect(page.getByRole("button", { name: "Decommission" })).toHaveCount(0);

  // A running job (submitted by the admin through the API): the viewer sees it but no Cancel.
  const headers = await adminHeaders(page);
  const agents = await (await page.request.get(`${env.apiUrl}/api/v1/agents?status=ONLINE`, { headers })).json();
  const agent = agents.items.find((item: { hostname: string }) => item.hostname === env.agentHostname);
  const submitted = await page.request.post(`${env.apiUrl}/api/v1/jobs`, {
    headers,
    data: { agentId: agent.id, command: "sleep", args: ["30"], timeoutSeconds: 60 },
  });
  expect(submitted.status()).toBe(202);
  runningJobId = (await submitted.json()).id as string;

  await navLink(page, "Jobs").click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.locator(`tr[data-job-id="${runningJobId}"]`)).toBeVisible();
  await expect(page.getByRole("link", { name: "New job" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New job" })).toHaveCount(0);
  await screenshot(page, "23-viewer-jobs");

  await page.goto(`/jobs/${runningJobId}`);
  await expect(page.getByTestId("job-state")).toContainText("Running", { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Cancel job" })).toHaveCount(0);
});

test("the viewer gets a forbidden state on the admin and run pages, not their forms", async () => {
  await page.goto("/jobs/new");
  await expect(page.getByTestId("forbidden")).toContainText("cannot run jobs");
  await expect(page.getByRole("button", { name: "Run job" })).toHaveCount(0);
  await expect(page.getByLabel("Command")).toHaveCount(0);
  await screenshot(page, "24-viewer-new-job-forbidden");

  await page.goto("/enrollment");
  await expect(page.getByTestId("forbidden")).toContainText("Only administrators");
  await expect(page.getByRole("button", { name: "Create token" })).toHaveCount(0);

  await page.goto("/users");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create user" })).toHaveCount(0);

  await page.goto("/audit");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("a server action sent with the viewer's session is refused by the orchestrator (403)", async ({ browser }) => {
  // An admin's enrollment page, then its session swapped for the viewer's: the form's server
  // action runs as the viewer, and the orchestrator, not only the UI, says no.
  const viewerCookie = (await page.context().cookies()).find((cookie) => cookie.name === "mamos_session");
  expect(viewerCookie).toBeDefined();
  adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  watchConsole(adminPage);
  await signIn(adminPage, "admin", env.adminPassword());
  const adminCookie = (await adminContext.cookies()).find((cookie) => cookie.name === "mamos_session")!;
  await adminPage.goto("/enrollment");
  const tokensBefore = await adminPage.locator("tr[data-token-id]").count();

  await adminContext.addCookies([viewerCookie!]);
  await adminPage.getByRole("button", { name: "Create token" }).click();
  await expect(
    adminPage.getByRole("alert").filter({ hasText: "Forbidden: your role does not allow this" }),
  ).toBeVisible();
  await expect(adminPage.getByTestId("enrollment-token")).toHaveCount(0);
  await screenshot(adminPage, "25-viewer-action-refused");

  const tokens = await (
    await adminPage.request.get(`${env.apiUrl}/api/v1/enrollment-tokens`, { headers: await adminHeaders(adminPage) })
  ).json();
  expect(tokens.items.length).toBe(tokensBefore);

  // Back to the admin: delete the viewer behind a confirmation.
  await adminContext.addCookies([adminCookie]);
  await adminPage.goto("/users");
  const viewerRow = adminPage.locator(`tr[data-username="${VIEWER}"]`);
  await viewerRow.getByRole("button", { name: `Delete user ${VIEWER}` }).click();
  await expect(adminPage.getByRole("alertdialog")).toContainText(`Delete user ${VIEWER}?`);
  await adminPage.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(viewerRow).toHaveCount(0);
  await adminPage.close();
});
