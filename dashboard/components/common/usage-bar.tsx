import { formatPercent } from "@/lib/format";
import { cn } from "@/lib/utils";

/** A small horizontal meter with its percentage, e.g. for CPU, memory or disk use. */
export function UsageBar({ value, label, detail }: { value: number | null; label: string; detail?: string }) {
  if (value == null) return <span className="text-muted-foreground">—</span>;
  const percent = Math.max(0, Math.min(1, value));
  return (
    <div className="flex min-w-28 items-center gap-2" title={detail}>
      <div
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(percent * 100)}
        aria-valuetext={detail ? `${formatPercent(percent)} (${detail})` : formatPercent(percent)}
        className="bg-muted h-1.5 w-16 overflow-hidden rounded-full"
      >
        <div
          className={cn(
            "h-full rounded-full",
            percent > 0.9 ? "bg-red-500" : percent > 0.7 ? "bg-amber-500" : "bg-emerald-500",
          )}
          style={{ width: `${percent * 100}%` }}
        />
      </div>
      <span className="text-xs tabular-nums">{formatPercent(percent)}</span>
    </div>
  );
}
