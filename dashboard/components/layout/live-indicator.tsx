"use client";

import { useLiveStatus } from "@/lib/live/live-provider";
import { cn } from "@/lib/utils";

const LABELS = {
  open: "Live",
  connecting: "Connecting…",
  reconnecting: "Reconnecting…",
  "signed-out": "Offline",
} as const;

/** Whether pages are receiving live updates. */
export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span
      className="text-muted-foreground inline-flex items-center gap-1.5 text-xs"
      role="status"
      data-live-status={status}
      title={status === "open" ? "Receiving live updates" : "Live updates paused; pages may be stale"}
    >
      <span
        aria-hidden="true"
        className={cn(
          "size-2 rounded-full",
          status === "open" ? "bg-emerald-500" : "bg-amber-500 motion-safe:animate-pulse",
        )}
      />
      {LABELS[status]}
    </span>
  );
}
