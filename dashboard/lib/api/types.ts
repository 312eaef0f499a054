// The orchestrator's API as the dashboard uses it. Mirrors the orchestrator's records
// (AgentView, SystemSnapshot, JobView, CommandController.CommandList, ...). The orchestrator
// publishes no OpenAPI description yet; once it does, generate this file from it instead.

export type Role = "ADMIN" | "OPERATOR" | "VIEWER";

export type AgentStatus = "ONLINE" | "OFFLINE" | "ENROLLED" | "DECOMMISSIONED";
export const AGENT_STATUSES: AgentStatus[] = ["ONLINE", "OFFLINE", "ENROLLED", "DECOMMISSIONED"];

export type JobState =
  | "QUEUED"
  | "DISPATCHED"
  | "RUNNING"
  | "SUCCEEDED"
  | "FAILED"
  | "TIMED_OUT"
  | "AGENT_OFFLINE"
  | "AGENT_LOST"
  | "REFUSED"
  | "CANCELED";
export const JOB_STATES: JobState[] = [
  "QUEUED",
  "DISPATCHED",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "TIMED_OUT",
  "AGENT_OFFLINE",
  "AGENT_LOST",
  "REFUSED",
  "CANCELED",
];
/** States a job can still leave: it is waiting, dispatched or running. */
export const ACTIVE_JOB_STATES: JobState[] = ["QUEUED", "DISPATCHED", "RUNNING"];
/** End states that mean something went wrong (everything terminal but SUCCEEDED and CANCELED). */
export const FAILED_JOB_STATES: JobState[] = [
  "FAILED",
  "TIMED_OUT",
  "AGENT_OFFLINE",
  "AGENT_LOST",
  "REFUSED",
];

export interface DiskUsage {
  mount: string;
  type: string;
  usedBytes: number;
  totalBytes: number;
}

export interface SystemSnapshot {
  hostname: string;
  os: string;
  osVersion: string;
  cpuModel: string;
  cpuCount: number;
  /** 0..1 */
  cpuUsage: number;
  loadAverage1m: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  disks: DiskUsage[];
  uptimeSeconds: number;
  agentVersion: string;
  runningJobs: number;
  metricsAddress: string | null;
  capturedAtMillis: number;
}

export interface Agent {
  id: string;
  hostname: string;
  os: string;
  agentVersion: string;
  taskQueue: string;
  status: AgentStatus;
  enrolledAt: string;
  lastSeenAt: string | null;
  wentOfflineAt: string | null;
  cameBackAt: string | null;
  decommissionedAt: string | null;
  snapshot: SystemSnapshot | null;
  labels: Labels;
}

export interface AgentMetricSample {
  capturedAt: string;
  cpuUsage: number;
  loadAverage1m: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
  runningJobs: number;
}

export interface JobProgress {
  elapsedMillis: number;
  outputBytes: number;
  tail: string | null;
}

/** An agent's labels, e.g. {"env": "prod", "role": "web"}. */
export type Labels = Record<string, string>;

/** Which agents a job runs on: exactly one of the three is set. */
export interface JobTargets {
  agentIds?: string[] | null;
  /** A label selector, e.g. "env=prod,role in (web,api)", matched against ONLINE agents. */
  selector?: string | null;
  /** Every ONLINE agent. */
  all?: boolean | null;
}

/** How many runs at once or how many failures: a count, or a percentage of the targets ("20%"). */
export type CountOrPercent = number | string;

/** Retries of runs lost to agent failure (AGENT_LOST) only; none by default. */
export interface RetryPolicy {
  maxAttempts: number;
  backoffSeconds: number;
}

/** What POST /api/v1/jobs takes (and a schedule's job). */
export interface JobRequest {
  command: string;
  args: string[];
  timeoutSeconds: number;
  targets: JobTargets | null;
  concurrency?: CountOrPercent | null;
  maxFailures?: CountOrPercent | null;
  offlineWaitSeconds?: number | null;
  jobTimeoutSeconds?: number | null;
  retry?: RetryPolicy | null;
}

/** Runs of a job counted by state, e.g. {"SUCCEEDED": 3, "FAILED": 1}. */
export type RunSummary = Partial<Record<RunState, number>>;

export interface Job {
  id: string;
  command: string;
  args: string[];
  timeoutSeconds: number;
  state: JobState;
  targets: JobTargets | null;
  concurrency: CountOrPercent | null;
  maxFailures: CountOrPercent | null;
  offlineWaitSeconds: number | null;
  jobTimeoutSeconds: number | null;
  retry: RetryPolicy | null;
  runCount: number;
  summary: RunSummary | null;
  error: string | null;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMillis: number | null;
  workflowId: string;
  temporalUrl: string;
  scheduleId: string | null;
  // When the job has exactly one run, its result is repeated here (null otherwise).
  agentId: string | null;
  exitCode: number | null;
  stdout: string | null;
  stderr: string | null;
  outputTruncated: boolean;
  progress: JobProgress | null;
  dispatchedAt: string | null;
}

/** A run: the job's command on one agent. */
export type RunState = JobState | "SKIPPED";
export const RUN_STATES: RunState[] = [...JOB_STATES, "SKIPPED"];

export interface Run {
  jobId: string;
  agentId: string;
  hostname: string | null;
  state: RunState;
  attempt: number;
  exitCode: number | null;
  stdout: string | null;
  stderr: string | null;
  outputTruncated: boolean;
  error: string | null;
  dispatchedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  durationMillis: number | null;
  progress: JobProgress | null;
  workflowId: string | null;
  temporalUrl: string | null;
}

/** A recurring job (a Temporal Schedule); each firing is a normal job. */
export interface Schedule {
  id: string;
  name: string;
  cron: string;
  paused: boolean;
  /** Why it was paused, when a note was given. */
  note?: string | null;
  /** As stored: the single-agent form (agentId) or targets. */
  job: JobRequest & { agentId?: string | null };
  nextRunTimes: string[];
  /** Jobs it started, newest first. */
  recentJobIds: string[];
  createdBy: string | null;
  createdAt: string;
  temporalScheduleId?: string;
}

export interface Page<T> {
  items: T[];
  page: number;
  size: number;
  total: number;
}

/** What one argument may be; every kind that is set must hold. */
export interface ArgumentRule {
  /** What the argument means, e.g. "file". */
  name: string | null;
  /** When not empty, the argument must be exactly one of these. */
  enum: string[];
  /** A Java regular expression the whole argument must match, or null. */
  pattern: string | null;
  /** When not empty, an absolute path equal to one of these or under one ending in "/". */
  pathPrefix: string[];
}

export interface CommandRule {
  name: string;
  description: string;
  executable: string;
  minArgs: number;
  maxArgs: number;
  /** Rules for the arguments by position (orchestrators with per-argument rules). */
  args?: ArgumentRule[];
  /** The rule for every argument after those in args; null: unchecked. */
  rest?: ArgumentRule | null;
  /** Longest timeout a job of this command may ask for (else the policy's maxTimeoutSeconds). */
  maxTimeoutSeconds?: number;
  roles?: Role[];
  /** A Java regular expression every argument must match entirely, or null (when one rule covers all). */
  argPattern: string | null;
  /** When not empty, every argument must be an absolute path equal to one of these or under one ending in "/". */
  pathPrefixes: string[];
}

export interface CommandList {
  maxTimeoutSeconds: number;
  items: CommandRule[];
}

export interface EnrollmentTokenCreated {
  id: string;
  token: string;
  expiresAt: string;
}

export type EnrollmentTokenState = "ACTIVE" | "USED" | "EXPIRED" | "REVOKED";

export interface EnrollmentToken {
  id: string;
  state: EnrollmentTokenState | string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  agentId: string | null;
  /** Labels the agent enrolled with this token gets. */
  labels?: Labels | null;
}

export const ROLES: Role[] = ["ADMIN", "OPERATOR", "VIEWER"];

/** A dashboard/API user (GET /api/v1/users). */
export interface User {
  username: string;
  role: Role;
  createdAt: string;
}

/** One entry of the orchestrator's audit log (GET /api/v1/audit), newest first. */
export interface AuditEvent {
  id: number | string;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  sourceIp: string | null;
}

export interface ClientConfig {
  grafanaUrl: string;
  grafanaDashboardPath: string;
  temporalUiUrl: string;
  temporalNamespace: string;
}

export interface LiveTicket {
  ticket: string;
  expiresAt: string;
  path: string;
}

/** What the live feed sends: something of this type and id changed; re-read it. */
export type LiveEventType = "job" | "agent" | "schedule";
export interface LiveEvent {
  type: LiveEventType;
  id: string;
}

/** RFC 9457 problem details, as every orchestrator error is returned. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}
