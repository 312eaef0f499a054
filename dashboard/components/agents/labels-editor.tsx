"use client";

import { useId, useState, useTransition } from "react";
import { Pencil } from "lucide-react";

import type { Labels } from "@/lib/api/types";
import { formatLabels, parseLabels } from "@/lib/labels";
import { LabelChips } from "@/components/agents/label-chips";
import { FieldError } from "@/components/jobs/job-spec-fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** An agent's labels as chips; an admin can edit them as one "key=value, ..." line. */
export function LabelsEditor({
  agentId,
  labels,
  canEdit,
  save,
}: {
  agentId: string;
  labels: Labels;
  canEdit: boolean;
  save: (id: string, labels: Labels) => Promise<{ error?: string }>;
}) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  const id = useId();
  const parsed = parseLabels(text);
  const problem = editing && parsed.error ? `Labels: ${parsed.error}.` : undefined;

  if (!editing) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <LabelChips labels={labels} empty="No labels." />
        {canEdit && (
          <Button
            variant="outline"
            size="sm"
            onClick={() => {
              setText(formatLabels(labels));
              setError(undefined);
              setEditing(true);
            }}
          >
            <Pencil aria-hidden="true" />
            Edit labels
          </Button>
        )}
      </div>
    );
  }

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (parsed.labels === undefined) return;
    const next = parsed.labels;
    startTransition(async () => {
      const result = await save(agentId, next);
      setError(result.error);
      if (!result.error) setEditing(false);
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-2">
      <Label htmlFor={`${id}-labels`}>Labels</Label>
      <Input
        id={`${id}-labels`}
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="env=prod, role=web"
        autoComplete="off"
        spellCheck={false}
        autoFocus
        className="font-mono"
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-labels-help${problem ? ` ${id}-labels-error` : ""}`}
      />
      <p id={`${id}-labels-help`} className="text-muted-foreground text-sm">
        key=value pairs separated by commas; they replace all current labels. Jobs pick agents by these with label
        selectors.
      </p>
      {problem && <FieldError id={`${id}-labels-error`} messages={problem} />}
      {error && <FieldError id={`${id}-labels-refused`} messages={`The orchestrator refused the labels: ${error}`} />}
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={pending || Boolean(problem)}>
          {pending ? "Saving…" : "Save labels"}
        </Button>
        <Button type="button" variant="ghost" size="sm" onClick={() => setEditing(false)} disabled={pending}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
