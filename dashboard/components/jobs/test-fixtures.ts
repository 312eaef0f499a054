// Shared test data for the job and schedule form tests.
import type { CommandList, Job } from "@/lib/api/types";
import type { TargetAgent } from "@/components/jobs/job-spec-fields";

// The orchestrator's default policy, as GET /api/v1/commands returns it (a subset).
export const POLICY: CommandList = {
  maxTimeoutSeconds: 3600,
  items: [
    { name: "echo", description: "Print the arguments", executable: "/usr/bin/echo", minArgs: 0, maxArgs: 32, argPattern: null, pathPrefixes: [] },
    { name: "sleep", description: "Wait", executable: "/usr/bin/sleep", minArgs: 1, maxArgs: 1, argPattern: "[0-9]{1,5}(\\.[0-9]{1,3})?", pathPrefixes: [] },
    { name: "uptime", description: "Uptime", executable: "/usr/bin/uptime", minArgs: 0, maxArgs: 0, argPattern: null, pathPrefixes: [] },
    // per-argument rules, as newer orchestrators describe them
    {
      name: "date",
      description: "The host's clock",
      executable: "/usr/bin/date",
      minArgs: 0,
      maxArgs: 1,
      args: [{ name: "format", enum: ["-u", "-R", "-Iseconds"], pattern: null, pathPrefix: [] }],
      rest: null,
      maxTimeoutSeconds: 60,
      argPattern: null,
      pathPrefixes: [],
    },
  ],
};
export const AGENTS: TargetAgent[] = [
  { id: "a1b2c3d4-0000", hostname: "worker-1", status: "ONLINE", labels: { env: "prod", role: "web" } },
  { id: "a1b2c3d4-0001", hostname: "worker-2", status: "ONLINE", labels: { env: "prod", role: "api" } },
  { id: "a1b2c3d4-0002", hostname: "worker-3", status: "OFFLINE", labels: { env: "prod", role: "web" } },
  { id: "a1b2c3d4-0003", hostname: "staging-1", status: "ONLINE", labels: { env: "staging", role: "web" } },
];


/** A single-run job, running on agent-1. */
export const RUNNING_JOB: Job = {
  id: "0f1e2d3c-4b5a-6978-8899-aabbccddeeff",
  agentId: "agent-1",
  command: "sleep",
  args: ["20"],
  timeoutSeconds: 60,
  state: "RUNNING",
  targets: { agentIds: ["agent-1"] },
  concurrency: null,
  maxFailures: null,
  offlineWaitSeconds: null,
  jobTimeoutSeconds: null,
  retry: null,
  runCount: 1,
  summary: { RUNNING: 1 },
  exitCode: null,
  stdout: null,
  stderr: null,
  outputTruncated: false,
  error: null,
  createdBy: "admin",
  createdAt: "2026-11-25T10:00:00Z",
  dispatchedAt: "2026-11-25T10:00:00Z",
  startedAt: "2026-11-25T10:00:01Z",
  finishedAt: null,
  durationMillis: null,
  progress: { elapsedMillis: 4200, outputBytes: 6, tail: "tick 1" },
  workflowId: "job-0f1e2d3c",
  temporalUrl: "http://localhost:8233/namespaces/default/workflows/job-0f1e2d3c",
  scheduleId: null,
};

/** The orchestrator's dry-run answer accepting an echo on these agents (by hostname, from AGENTS). */
export function accepted(hostnames: string[]) {
  return {
    ok: {
      command: "echo",
      executable: "/usr/bin/echo",
      args: [],
      timeoutSeconds: 60,
      agents: hostnames.map((hostname) => {
        const agent = AGENTS.find((a) => a.hostname === hostname)!;
        return { id: agent.id, hostname, status: agent.status, labels: agent.labels };
      }),
      concurrency: hostnames.length,
      maxFailures: 0,
      offlineWaitSeconds: 60,
      jobTimeoutSeconds: 0,
      retryMaxAttempts: 1,
    },
  };
}
