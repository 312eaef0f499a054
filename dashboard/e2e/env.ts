import { readFileSync } from "node:fs";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the tests through scripts/dashboard-e2e.sh`);
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
