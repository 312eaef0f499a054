import { RUN_STATES, type RunState, type RunSummary } from "@/lib/api/types";
import { RUN_STATE_TONE, StatusBadge, stateLabel, TONE_FILL } from "@/components/status/status-badge";
import { cn } from "@/lib/utils";

/** The summary's states with a count, in the order of RUN_STATES. */
export function summaryEntries(summary: RunSummary | null | undefined): [RunState, number][] {
  return RUN_STATES.flatMap((state) => {
    const count = summary?.[state] ?? 0;
    return count > 0 ? [[state, count] as [RunState, number]] : [];
  });
}

/** "3 succeeded, 1 failed". */
export function describeSummary(summary: RunSummary | null | undefined): string {
  const entries = summaryEntries(summary);
  return entries.length === 0 ? "no runs" : entries.map(([state, count]) => `${count} ${stateLabel(state).toLowerCase()}`).join(", ");
}

/** A small stacked bar of a job's runs by state, with the total; the text says the same for screen readers. */
export function RunSummaryBar({ summary, runCount, className }: { summary: RunSummary | null | undefined; runCount: number; className?: string }) {
  const entries = summaryEntries(summary);
  const total = Math.max(runCount, entries.reduce((sum, [, count]) => sum + count, 0));
  const text = describeSummary(summary);
  return (
    <div className={cn("flex min-w-32 items-center gap-2", className)} title={text} data-testid="run-summary">
      <div role="img" aria-label={`${total} run${total === 1 ? "" : "s"}: ${text}`} className="bg-muted flex h-2 w-20 overflow-hidden rounded-full">
        {total > 0 &&
          entries.map(([state, count]) => (
            <div key={state} className={TONE_FILL[RUN_STATE_TONE[state]]} style={{ width: `${(count / total) * 100}%` }} />
          ))}
      </div>
      <span className="text-muted-foreground text-xs tabular-nums">{total}</span>
    </div>
  );
}

/** Each state with its count as a badge. */
export function RunSummaryBadges({ summary }: { summary: RunSummary | null | undefined }) {
  const entries = summaryEntries(summary);
  if (entries.length === 0) return <span className="text-muted-foreground text-sm">No runs yet.</span>;
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Runs by state" data-testid="run-summary-badges">
      {entries.map(([state, count]) => (
        <li key={state} className="flex items-center gap-1" data-summary-state={state}>
          <StatusBadge value={state} tone={RUN_STATE_TONE[state]} />
          <span className="text-sm font-medium tabular-nums">{count}</span>
        </li>
      ))}
    </ul>
  );
}
