import { readFileSync } from "node:fs";
import type { ConsoleMessage } from "@playwright/test";

/** An E2E_* setting the script running the specs must have set. */
export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the tests through scripts/dashboard-e2e.sh (local-run.spec.ts: scripts/local-run-e2e.sh)`);
  return value;
}

/** What scripts/dashboard-e2e.sh tells the tests about the stack it started. */
export const env = {
  apiUrl: required("E2E_API_URL"),
  adminPassword: () => readFileSync(required("E2E_ADMIN_PASSWORD_FILE"), "utf8").trim(),
  agentHostname: process.env.E2E_AGENT_HOSTNAME || "e2e-agent",
  /** The second agent, enrolled with labels env=e2e,role=web before the fan-out spec. */
  secondAgentHostname: process.env.E2E_AGENT2_HOSTNAME || "e2e-agent-web",
  screenshotDir: required("E2E_SCREENSHOT_DIR"),
  /** The file whose creation asks scripts/dashboard-e2e.sh to restart the orchestrator. */
  restartRequestFile: process.env.E2E_RESTART_REQUEST_FILE,
};

/**
 * A console error as the tests report it: the page it happened on, the message and, when the
 * message is about another resource (a failed load says only its status), that resource's URL.
 */
export function consoleError(pageUrl: string, message: ConsoleMessage): string {
  const source = message.location().url;
  return `${pageUrl}: ${message.text()}${source && source !== pageUrl ? ` (${source})` : ""}`;
}
