"use client";

import { startTransition, useActionState, useId, useRef, useState } from "react";
import { CalendarClock } from "lucide-react";

import type { CommandList } from "@/lib/api/types";
import { cronError, describeCron, scheduleNameError } from "@/lib/cron";
import type { NewScheduleState } from "@/lib/schedules-actions";
import { FieldError, JobSpecFields, useJobDraft, type TargetAgent } from "@/components/jobs/job-spec-fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A new schedule: a name, a cron expression, and the same job fields as the new-job form. */
export function ScheduleForm({
  agents,
  commands,
  action,
}: {
  agents: TargetAgent[];
  commands: CommandList;
  action: (previous: NewScheduleState, form: FormData) => Promise<NewScheduleState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const job = useJobDraft(commands, []);
  const [name, setName] = useState("");
  const [cron, setCron] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  const nameError = scheduleNameError(name);
  const cronProblem = cronError(cron);
  const showName = submitted && nameError;
  const showCron = (submitted || cron !== "") && cronProblem;
  const hint = describeCron(cron);

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
            {hint ? `Runs ${hint}.` : "minute hour day-of-month month day-of-week, or @hourly, @daily, @every 30m."}
          </p>
          {showCron && <FieldError id={`${id}-cron-error`} messages={`Cron: ${cronProblem}.`} />}
        </div>
      </div>
      <JobSpecFields agents={agents} commands={commands} draft={job.draft} update={job.update} shown={job.shown} />
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
