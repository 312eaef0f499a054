"use client";

import { startTransition, useActionState, useId, useRef, useState } from "react";
import { CalendarClock } from "lucide-react";

import type { CommandList } from "@/lib/api/types";
import { formatDateTime } from "@/lib/format";
import type { Checked, SchedulePreview } from "@/lib/preview-actions";
import { useServerCheck } from "@/lib/use-server-check";
import type { NewScheduleState } from "@/lib/schedules-actions";
import { FieldError, JobSpecFields, useJobDraft, type DryRun, type TargetAgent } from "@/components/jobs/job-spec-fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A new schedule: a name, a cron expression, and the same job fields as the new-job form. */
export function ScheduleForm({
  agents,
  commands,
  action,
  dryRun,
  previewCron,
}: {
  agents: TargetAgent[];
  commands: CommandList;
  action: (previous: NewScheduleState, form: FormData) => Promise<NewScheduleState>;
  /** The orchestrator's dry run of the job each firing starts. */
  dryRun: DryRun;
  /** The next firings of a cron, as Temporal computes them. */
  previewCron: (cron: string) => Promise<Checked<SchedulePreview>>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const job = useJobDraft(commands, [], dryRun);
  const [name, setName] = useState("");
  const [cron, setCron] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  // The name's format is the orchestrator's to check (on create); the cron is read by Temporal,
  // which also computes the next firings shown as the hint.
  const nameError = name.trim() === "" ? "Give the schedule a name." : undefined;
  const cronKey = cron.trim() === "" ? null : cron.trim();
  const cronCheck = useServerCheck(cronKey, cronKey ?? "", previewCron);
  const cronProblem =
    cronKey === null ? "enter a cron expression" : cronCheck.status === "done" ? cronCheck.error : undefined;
  const showName = submitted && nameError;
  const showCron = (submitted || cron !== "") && cronProblem;
  const firings = cronCheck.status === "done" ? cronCheck.ok?.nextFirings : undefined;
  const hint =
    firings === undefined
      ? cronKey !== null && cronCheck.status === "pending"
        ? "Asking Temporal when it fires…"
        : "minute hour day-of-month month day-of-week, or @hourly, @daily, @every 30m."
      : firings.length === 0
        ? "Never fires in the next four years."
        : `Next runs: ${firings.map(formatDateTime).join(", ")}.`;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (nameError || cronProblem) {
      job.submit(null); // marks the job fields as submitted too, so all problems show at once
      formRef.current?.querySelector<HTMLElement>(nameError ? `#${CSS.escape(`${id}-name`)}` : `#${CSS.escape(`${id}-cron`)}`)?.focus();
      return;
    }
    const request = job.submit(formRef.current);
    if (!request) return;
    const form = new FormData();
    form.set("name", name.trim());
    form.set("cron", cron.trim());
    form.set("job", JSON.stringify(request));
    startTransition(() => formAction(form));
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-3xl gap-6">
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid content-start gap-2">
          <Label htmlFor={`${id}-name`}>Name</Label>
          <Input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="nightly disk report"
            autoComplete="off"
            aria-invalid={showName ? true : undefined}
            aria-describedby={showName ? `${id}-name-error` : undefined}
          />
          {showName && <FieldError id={`${id}-name-error`} messages={nameError} />}
        </div>
        <div className="grid content-start gap-2">
          <Label htmlFor={`${id}-cron`}>Cron (UTC)</Label>
          <Input
            id={`${id}-cron`}
            value={cron}
            onChange={(event) => setCron(event.target.value)}
            placeholder="*/15 * * * *"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            aria-invalid={showCron ? true : undefined}
            aria-describedby={`${id}-cron-help${showCron ? ` ${id}-cron-error` : ""}`}
          />
          <p id={`${id}-cron-help`} className="text-muted-foreground text-sm" data-testid="cron-hint" aria-live="polite">
            {hint}
          </p>
          {showCron && <FieldError id={`${id}-cron-error`} messages={`Cron: ${cronProblem}.`} />}
        </div>
      </div>
      <JobSpecFields agents={agents} commands={commands} draft={job.draft} update={job.update} shown={job.shown} check={job.check} />
      {state.error && (
        <p role="alert" className="text-destructive text-sm">
          The orchestrator refused the schedule: {state.error}
        </p>
      )}
      <div>
        <Button type="submit" disabled={pending}>
          <CalendarClock aria-hidden="true" />
          {pending ? "Creating…" : "Create schedule"}
        </Button>
      </div>
    </form>
  );
}
