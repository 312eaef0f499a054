"use client";

import { startTransition, useActionState, useRef } from "react";
import { Play } from "lucide-react";

import type { CommandList } from "@/lib/api/types";
import type { NewJobState } from "@/lib/jobs-actions";
import { JobSpecFields, useJobDraft, type DryRun, type TargetAgent } from "@/components/jobs/job-spec-fields";
import { Button } from "@/components/ui/button";

export interface NewJobFormProps {
  /** Agents a job can target (not decommissioned); selectors match only the ONLINE ones. */
  agents: TargetAgent[];
  commands: CommandList;
  action: (previous: NewJobState, form: FormData) => Promise<NewJobState>;
  defaultAgentId?: string;
  /** The orchestrator's dry run (lib/preview-actions.ts), asked while the job is edited. */
  dryRun: DryRun;
}

/**
 * Offers only the whitelisted commands and, while the job is edited, shows the orchestrator's
 * dry run of it: the agents it would run on, or why it would be refused.
 */
export function NewJobForm({ agents, commands, action, defaultAgentId, dryRun }: NewJobFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const initial =
    defaultAgentId && agents.some((a) => a.id === defaultAgentId)
      ? defaultAgentId
      : agents.find((a) => a.status === "ONLINE")?.id;
  const job = useJobDraft(commands, initial ? [initial] : [], dryRun);
  const formRef = useRef<HTMLFormElement>(null);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const request = job.submit(formRef.current);
    if (!request) return;
    const form = new FormData();
    form.set("job", JSON.stringify(request));
    startTransition(() => formAction(form));
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-3xl gap-6">
      <JobSpecFields agents={agents} commands={commands} draft={job.draft} update={job.update} shown={job.shown} check={job.check} />
      {state.error && (
        <p role="alert" className="text-destructive text-sm">
          The orchestrator refused the job: {state.error}
        </p>
      )}
      <div>
        <Button type="submit" disabled={pending}>
          <Play aria-hidden="true" />
          {pending ? "Submitting…" : "Run job"}
        </Button>
      </div>
    </form>
  );
}
