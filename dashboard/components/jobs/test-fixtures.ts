// Shared test data for the job and schedule form tests.
import type { CommandList } from "@/lib/api/types";
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

