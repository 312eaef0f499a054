import type { AgentStatus, JobState, RunState } from "@/lib/api/types";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

/** How a state reads at a glance; the text always names the state, so colour is never the only cue. */
export type Tone = "success" | "active" | "waiting" | "danger" | "muted";

const TONE_CLASSES: Record<Tone, string> = {
  success: "border-emerald-600/30 bg-emerald-500/10 text-emerald-700 dark:text-emerald-400",
  active: "border-sky-600/30 bg-sky-500/10 text-sky-700 dark:text-sky-400",
  waiting: "border-amber-600/30 bg-amber-500/10 text-amber-700 dark:text-amber-400",
  danger: "border-red-600/30 bg-red-500/10 text-red-700 dark:text-red-400",
  muted: "text-muted-foreground",
};

export const AGENT_STATUS_TONE: Record<AgentStatus, Tone> = {
  ONLINE: "success",
  OFFLINE: "danger",
  ENROLLED: "waiting",
  DECOMMISSIONED: "muted",
};

export const JOB_STATE_TONE: Record<JobState, Tone> = {
  QUEUED: "waiting",
  DISPATCHED: "active",
  RUNNING: "active",
  SUCCEEDED: "success",
  FAILED: "danger",
  TIMED_OUT: "danger",
  AGENT_OFFLINE: "danger",
  AGENT_LOST: "danger",
  REFUSED: "danger",
  CANCELED: "muted",
};

/** A run's states are the job's plus SKIPPED (never started). */
export const RUN_STATE_TONE: Record<RunState, Tone> = { ...JOB_STATE_TONE, SKIPPED: "muted" };

/** Bar colours for the tones, for the run summary. */
export const TONE_FILL: Record<Tone, string> = {
  success: "bg-emerald-500",
  active: "bg-sky-500",
  waiting: "bg-amber-500",
  danger: "bg-red-500",
  muted: "bg-muted-foreground/40",
};

/** "TIMED_OUT" -> "Timed out". */
export function stateLabel(state: string): string {
  const words = state.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function StatusBadge({ value, tone, pulse }: { value: string; tone: Tone; pulse?: boolean }) {
  return (
    <Badge variant="outline" className={cn(TONE_CLASSES[tone])} data-tone={tone} data-state={value}>
      <span
        aria-hidden="true"
        className={cn("size-1.5 rounded-full bg-current", pulse && "motion-safe:animate-pulse")}
      />
      {stateLabel(value)}
    </Badge>
  );
}

export function AgentStatusBadge({ status }: { status: AgentStatus }) {
  return <StatusBadge value={status} tone={AGENT_STATUS_TONE[status] ?? "muted"} />;
}

export function JobStateBadge({ state }: { state: JobState | RunState }) {
  return (
    <StatusBadge
      value={state}
      tone={RUN_STATE_TONE[state] ?? "muted"}
      pulse={state === "RUNNING" || state === "DISPATCHED"}
    />
  );
}
