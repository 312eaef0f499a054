// A job as the forms edit it (the new-job form and the schedule form share it): the text the
// user typed, what keeps it from being a request at all, and the JSON body POST /api/v1/jobs
// takes. Whether the orchestrator accepts it (policy, selector, targets) is asked of the
// orchestrator itself (POST /api/v1/jobs/dry-run, see lib/preview-actions.ts), never checked here.
import type { CommandList, CommandRule, CountOrPercent, JobRequest, JobTargets } from "@/lib/api/types";
import { parseArgs } from "@/lib/policy";

export type TargetMode = "agents" | "selector" | "all";

/** The job fields as typed; numbers stay text until checked. */
export interface JobDraft {
  targetMode: TargetMode;
  agentIds: string[];
  selector: string;
  command: string;
  /** Values of the positional arguments, when the command's arguments are chosen one by one (see hasChoiceArgs). */
  positional: string[];
  /** The arguments as one line (or, after positional ones, the rest). */
  argsLine: string;
  timeout: string;
  /** "" (all at once), a count "5" or a percentage "20%". */
  concurrency: string;
  /** "" (no limit), a count or a percentage. */
  maxFailures: string;
  /** "" (the orchestrator's default) or seconds. */
  offlineWait: string;
  /** "" (none) or seconds. */
  jobTimeout: string;
  /** "" or "1": no retry; 2 or more: attempts per run in all. */
  retryAttempts: string;
  retryBackoff: string;
}

export type JobDraftField = keyof JobDraft;
export type JobDraftErrors = Partial<Record<JobDraftField, string[]>>;

export const DEFAULT_TIMEOUT_SECONDS = 60;
export const DEFAULT_RETRY_BACKOFF_SECONDS = 10;

/**
 * Whether the command's arguments are chosen one by one: when a positional argument has a fixed
 * set of values (an enum), each positional argument gets its own field (a select for an enum).
 */
export function hasChoiceArgs(rule: CommandRule | undefined): boolean {
  return (rule?.args ?? []).some((arg) => arg.enum.length > 0);
}

/** Starting values of a command's positional fields: a required enum starts at its first value. */
export function defaultPositional(rule: CommandRule | undefined): string[] {
  if (!rule || !hasChoiceArgs(rule)) return [];
  return (rule.args ?? []).map((arg, index) => (index < rule.minArgs && arg.enum.length > 0 ? arg.enum[0] : ""));
}

/** The arguments a draft stands for: the positional fields (trailing empty ones dropped), then the line. */
export function draftArgs(draft: JobDraft, rule: CommandRule | undefined): { args: string[]; error?: string } {
  const line = parseArgs(draft.argsLine);
  if (line.error) return line;
  if (!hasChoiceArgs(rule)) return line;
  const positional = draft.positional.slice(0, rule!.args!.length);
  let end = positional.length;
  while (end > rule!.minArgs && end > 0 && positional[end - 1] === "") end--;
  const args = positional.slice(0, end);
  return { args: line.args.length > 0 ? [...args, ...line.args] : args };
}

export function emptyDraft(commands: CommandList, agentIds: string[] = []): JobDraft {
  const command = commands.items.find((c) => c.name === "echo")?.name ?? commands.items[0]?.name ?? "";
  return {
    targetMode: "agents",
    agentIds,
    selector: "",
    command,
    positional: defaultPositional(commands.items.find((c) => c.name === command)),
    argsLine: "",
    timeout: String(DEFAULT_TIMEOUT_SECONDS),
    concurrency: "",
    maxFailures: "",
    offlineWait: "",
    jobTimeout: "",
    retryAttempts: "",
    retryBackoff: String(DEFAULT_RETRY_BACKOFF_SECONDS),
  };
}

/** "" -> null, "5" -> 5, "20%" -> "20%"; a count from 1, a percentage from 1 to 100. */
export function parseCountOrPercent(text: string): { value: CountOrPercent | null; error?: undefined } | { value?: undefined; error: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { value: null };
  const percent = /^(\d{1,3})\s*%$/.exec(trimmed);
  if (percent) {
    const n = Number(percent[1]);
    return n >= 1 && n <= 100 ? { value: `${n}%` } : { error: "a percentage goes from 1% to 100%" };
  }
  if (/^\d+$/.test(trimmed) && Number(trimmed) >= 1 && Number(trimmed) <= 1_000_000) return { value: Number(trimmed) };
  return { error: "enter a whole number from 1, or a percentage such as 20%" };
}

/** "" -> null, else whole seconds within [min, max]. */
function parseSeconds(text: string, min: number, max: number): { value: number | null; error?: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { value: null };
  const n = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || n < min || n > max) return { value: null, error: `enter whole seconds from ${min} to ${max}` };
  return { value: n };
}

const MAX_JOB_TIMEOUT_SECONDS = 7 * 24 * 3600;
const MAX_OFFLINE_WAIT_SECONDS = 7 * 24 * 3600;
const MAX_RETRY_ATTEMPTS = 10;
const MAX_BACKOFF_SECONDS = 3600;

/** What is wrong with the draft, by field; empty when it can be submitted. */
export function draftErrors(draft: JobDraft, commands: CommandList): JobDraftErrors {
  const errors: JobDraftErrors = {};
  const add = (field: JobDraftField, message: string) => (errors[field] ??= []).push(message);

  if (draft.targetMode === "agents" && draft.agentIds.length === 0) add("agentIds", "Choose at least one agent.");
  if (draft.targetMode === "selector" && draft.selector.trim() === "") add("selector", "Enter a selector.");

  const rule = commands.items.find((c) => c.name === draft.command);
  if (!rule) add("command", "Choose a command.");
  const args = draftArgs(draft, rule);
  if (args.error) add("argsLine", `Arguments: ${args.error}.`);

  if (!/^\d+$/.test(draft.timeout.trim()) || Number(draft.timeout) < 1) {
    add("timeout", "Enter a whole number of seconds, at least 1.");
  }

  for (const field of ["concurrency", "maxFailures"] as const) {
    const parsed = parseCountOrPercent(draft[field]);
    if (parsed.error) add(field, `${field === "concurrency" ? "Concurrency" : "Max failures"}: ${parsed.error}.`);
  }
  const offline = parseSeconds(draft.offlineWait, 1, MAX_OFFLINE_WAIT_SECONDS);
  if (offline.error) add("offlineWait", `Offline wait: ${offline.error}.`);
  const jobTimeout = parseSeconds(draft.jobTimeout, 1, MAX_JOB_TIMEOUT_SECONDS);
  if (jobTimeout.error) add("jobTimeout", `Job timeout: ${jobTimeout.error}.`);
  const attempts = parseSeconds(draft.retryAttempts, 1, MAX_RETRY_ATTEMPTS);
  if (attempts.error) add("retryAttempts", `Attempts: enter a whole number from 1 to ${MAX_RETRY_ATTEMPTS}.`);
  if ((attempts.value ?? 1) > 1) {
    const backoff = parseSeconds(draft.retryBackoff, 0, MAX_BACKOFF_SECONDS);
    if (backoff.error || backoff.value === null) add("retryBackoff", `Backoff: enter whole seconds from 0 to ${MAX_BACKOFF_SECONDS}.`);
  }
  return errors;
}

/** The request body for a draft without errors (see draftErrors). */
export function draftToRequest(draft: JobDraft, commands: CommandList): JobRequest {
  const targets: JobTargets =
    draft.targetMode === "agents"
      ? { agentIds: draft.agentIds }
      : draft.targetMode === "selector"
        ? { selector: draft.selector.trim() }
        : { all: true };
  const request: JobRequest = {
    command: draft.command,
    args: draftArgs(draft, commands.items.find((c) => c.name === draft.command)).args,
    timeoutSeconds: Number(draft.timeout),
    targets,
  };
  const concurrency = parseCountOrPercent(draft.concurrency).value;
  if (concurrency != null) request.concurrency = concurrency;
  const maxFailures = parseCountOrPercent(draft.maxFailures).value;
  if (maxFailures != null) request.maxFailures = maxFailures;
  if (draft.offlineWait.trim() !== "") request.offlineWaitSeconds = Number(draft.offlineWait);
  if (draft.jobTimeout.trim() !== "") request.jobTimeoutSeconds = Number(draft.jobTimeout);
  const attempts = Number(draft.retryAttempts || "1");
  if (attempts > 1) request.retry = { maxAttempts: attempts, backoffSeconds: Number(draft.retryBackoff) };
  return request;
}

/**
 * The job request a form posted (as JSON in its "job" field), checked for shape on the server
 * before it is sent on; the orchestrator checks the content.
 */
export function readJobRequest(json: unknown): { request: JobRequest; error?: undefined } | { request?: undefined; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(String(json ?? ""));
  } catch {
    return { error: "The job could not be read." };
  }
  if (typeof value !== "object" || value === null) return { error: "The job could not be read." };
  const job = value as Record<string, unknown>;
  if (typeof job.command !== "string" || job.command === "") return { error: "Choose a command." };
  if (!Array.isArray(job.args) || !job.args.every((arg) => typeof arg === "string")) {
    return { error: "The arguments could not be read." };
  }
  if (!Number.isInteger(job.timeoutSeconds) || (job.timeoutSeconds as number) < 1) {
    return { error: "The timeout must be a whole number of seconds." };
  }
  const targets = job.targets as JobTargets | undefined;
  const targetKinds = targets
    ? [
        Array.isArray(targets.agentIds) && targets.agentIds.length > 0 && targets.agentIds.every((id) => typeof id === "string"),
        typeof targets.selector === "string" && targets.selector !== "",
        targets.all === true,
      ].filter(Boolean).length
    : 0;
  if (targetKinds !== 1) return { error: "Choose agents, a label selector or all online agents." };
  return { request: job as unknown as JobRequest };
}

/** A job's targets (or, for the single-agent form, its agentId) in a few words. */
export function jobTargets(job: { targets?: JobTargets | null; agentId?: string | null }): JobTargets | null {
  return job.targets ?? (job.agentId ? { agentIds: [job.agentId] } : null);
}

/** A job's targets in a few words: "worker-1, worker-2", "selector env=prod", "all online agents". */
export function describeTargets(targets: JobTargets | null | undefined, hostnames?: Map<string, string>): string {
  if (!targets) return "—";
  if (targets.all) return "all online agents";
  if (targets.selector) return `selector ${targets.selector}`;
  const ids = targets.agentIds ?? [];
  if (ids.length === 0) return "—";
  const names = ids.map((id) => hostnames?.get(id) ?? id.slice(0, 8));
  return names.length <= 3 ? names.join(", ") : `${names.slice(0, 2).join(", ")} and ${names.length - 2} more`;
}

/** 5 -> "5", "20%" -> "20%", null -> fallback. */
export function describeCountOrPercent(value: CountOrPercent | null | undefined, fallback: string): string {
  return value == null || value === "" ? fallback : String(value);
}

/** How a job rolls out, as [term, text] pairs for a facts list (targets excluded). */
export function rolloutFacts(
  spec: Pick<JobRequest, "concurrency" | "maxFailures" | "offlineWaitSeconds" | "jobTimeoutSeconds" | "retry">,
): [string, string][] {
  return [
    ["Concurrency", describeCountOrPercent(spec.concurrency, "all at once")],
    ["Max failures", describeCountOrPercent(spec.maxFailures, "no limit")],
    ["Offline wait", spec.offlineWaitSeconds == null ? "default" : `${spec.offlineWaitSeconds} s`],
    ["Job timeout", spec.jobTimeoutSeconds == null ? "none" : `${spec.jobTimeoutSeconds} s`],
    [
      "Retry",
      spec.retry && spec.retry.maxAttempts > 1
        ? `${spec.retry.maxAttempts} attempts, backoff ${spec.retry.backoffSeconds} s doubling (lost runs only)`
        : "none",
    ],
  ];
}
