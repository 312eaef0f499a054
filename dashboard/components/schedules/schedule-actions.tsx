"use client";

import { useState, useTransition } from "react";
import { Pause, Play, Trash2, Zap } from "lucide-react";

import type { ScheduleAction } from "@/lib/schedules-actions";
import { ConfirmActionButton } from "@/components/common/confirm-action-button";
import { Button } from "@/components/ui/button";

/** Pause or resume, fire now, and delete (behind a confirmation) one schedule. */
export function ScheduleActions({
  id,
  name,
  paused,
  change,
}: {
  id: string;
  name: string;
  paused: boolean;
  change: (id: string, action: ScheduleAction) => Promise<{ error?: string }>;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const run = (action: ScheduleAction) =>
    startTransition(async () => {
      setError((await change(id, action)).error);
    });
  return (
    <div className="grid justify-items-end gap-1">
      <div className="flex items-start justify-end gap-2">
        <Button variant="outline" size="sm" disabled={pending} onClick={() => run(paused ? "resume" : "pause")} aria-label={`${paused ? "Resume" : "Pause"} ${name}`}>
          {paused ? <Play aria-hidden="true" /> : <Pause aria-hidden="true" />}
          {paused ? "Resume" : "Pause"}
        </Button>
        <Button variant="outline" size="sm" disabled={pending} onClick={() => run("trigger")} aria-label={`Trigger ${name} now`}>
          <Zap aria-hidden="true" />
          Trigger now
        </Button>
        <ConfirmActionButton
          size="sm"
          icon={<Trash2 aria-hidden="true" />}
          label="Delete"
          pendingLabel="Deleting…"
          ariaLabel={`Delete ${name}`}
          title={`Delete the schedule ${name}?`}
          description="It will start no more jobs. Jobs it already started are kept, and running ones go on."
          cancelLabel="Keep it"
          onConfirm={() => change(id, "delete")}
        />
      </div>
      {error && (
        <p role="alert" className="text-destructive max-w-xs text-right text-sm">
          {error}
        </p>
      )}
    </div>
  );
}
