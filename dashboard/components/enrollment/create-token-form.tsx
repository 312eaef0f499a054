"use client";

import { useActionState, useState } from "react";
import { Check, Copy, KeyRound } from "lucide-react";

import type { CreateTokenState } from "@/lib/enrollment-actions";
import { formatDateTime } from "@/lib/format";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { parseLabels } from "@/lib/labels";
import { FieldError } from "@/components/jobs/job-spec-fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

const LIFETIMES = [
  { seconds: 900, label: "15 minutes" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 86400, label: "1 day" },
  { seconds: 7 * 86400, label: "7 days" },
];

export function CreateTokenForm({
  action,
}: {
  action: (previous: CreateTokenState, form: FormData) => Promise<CreateTokenState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [labels, setLabels] = useState("");
  const labelsError = parseLabels(labels).error;
  return (
    <div className="grid gap-4">
      <form action={formAction} className="flex flex-wrap items-start gap-4">
        <div className="grid gap-2">
          <Label htmlFor="token-ttl">Valid for</Label>
          <NativeSelect id="token-ttl" name="ttlSeconds" defaultValue="3600">
            {LIFETIMES.map((lifetime) => (
              <NativeSelectOption key={lifetime.seconds} value={lifetime.seconds}>
                {lifetime.label}
              </NativeSelectOption>
            ))}
          </NativeSelect>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="token-labels">Labels (optional)</Label>
          <Input
            id="token-labels"
            name="labels"
            value={labels}
            onChange={(event) => setLabels(event.target.value)}
            placeholder="env=prod, role=web"
            autoComplete="off"
            spellCheck={false}
            className="w-72 font-mono"
            aria-invalid={labelsError ? true : undefined}
            aria-describedby={labelsError ? "token-labels-help token-labels-error" : "token-labels-help"}
          />
          <p id="token-labels-help" className="text-muted-foreground max-w-72 text-xs">
            The agent enrolled with this token gets these labels.
          </p>
          {labelsError && <FieldError id="token-labels-error" messages={`Labels: ${labelsError}.`} />}
        </div>
        <Button type="submit" disabled={pending || Boolean(labelsError)} className="mt-5.5">
          <KeyRound aria-hidden="true" />
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
      {state.error && (
        <p role="alert" className="text-destructive text-sm">
          {state.error}
        </p>
      )}
      {state.created && (
        <Alert>
          <KeyRound aria-hidden="true" />
          <AlertTitle>Token created: copy it now, it is shown only once</AlertTitle>
          <AlertDescription className="grid w-full gap-3">
            <p>Valid until {formatDateTime(state.created.expiresAt)}, for one enrollment. On the new agent&apos;s machine run:</p>
            <CopyableCode label="Agent install command" text={state.created.installCommand} />
            <p>The token alone:</p>
            <CopyableCode label="Enrollment token" text={state.created.token} />
          </AlertDescription>
        </Alert>
      )}
    </div>
  );
}

function CopyableCode({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState<boolean | "failed">(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      setCopied("failed"); // e.g. no clipboard permission: the text stays selectable
    }
  }
  return (
    <div className="flex w-full items-start gap-2">
      <code
        aria-label={label}
        className="bg-muted text-foreground flex-1 rounded-md p-2 font-mono text-xs break-all select-all"
        data-testid={label === "Enrollment token" ? "enrollment-token" : "install-command"}
      >
        {text}
      </code>
      <Button type="button" variant="outline" size="sm" onClick={copy} aria-label={`Copy ${label.toLowerCase()}`}>
        {copied === true ? <Check aria-hidden="true" /> : <Copy aria-hidden="true" />}
        {copied === true ? "Copied" : copied === "failed" ? "Select and copy" : "Copy"}
      </Button>
    </div>
  );
}
