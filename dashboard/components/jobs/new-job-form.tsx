"use client";

import { startTransition, useActionState, useId, useMemo, useRef, useState } from "react";
import { Play } from "lucide-react";

import type { Agent, CommandList } from "@/lib/api/types";
import type { NewJobState } from "@/lib/jobs-actions";
import { describeArgs, parseArgs, validateArgs } from "@/lib/policy";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

export interface NewJobFormProps {
  /** Agents a job can go to: the ONLINE ones. */
  agents: Pick<Agent, "id" | "hostname">[];
  commands: CommandList;
  action: (previous: NewJobState, form: FormData) => Promise<NewJobState>;
  defaultAgentId?: string;
}

interface FieldErrors {
  agentId?: string;
  command?: string;
  args?: string[];
  timeoutSeconds?: string;
}

const DEFAULT_TIMEOUT = 60;

/**
 * Offers only the whitelisted commands and checks arguments and timeout against the policy
 * before submitting, so most mistakes are explained here rather than refused by the server.
 */
export function NewJobForm({ agents, commands, action, defaultAgentId }: NewJobFormProps) {
  const [state, formAction, pending] = useActionState(action, {});
  const [agentId, setAgentId] = useState(
    defaultAgentId && agents.some((a) => a.id === defaultAgentId) ? defaultAgentId : (agents[0]?.id ?? ""),
  );
  const [command, setCommand] = useState(commands.items.find((c) => c.name === "echo")?.name ?? commands.items[0]?.name ?? "");
  const [argsLine, setArgsLine] = useState("");
  const [timeout, setTimeoutValue] = useState(String(DEFAULT_TIMEOUT));
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  const rule = commands.items.find((c) => c.name === command);
  const parsed = useMemo(() => parseArgs(argsLine), [argsLine]);
  const errors = useMemo<FieldErrors>(() => {
    const result: FieldErrors = {};
    if (!agentId) result.agentId = "Choose an agent. Only online agents can take jobs.";
    if (!rule) result.command = "Choose a command.";
    const argErrors = parsed.error ? [`Arguments: ${parsed.error}.`] : rule ? validateArgs(rule, parsed.args) : [];
    if (argErrors.length > 0) result.args = argErrors;
    const seconds = Number(timeout);
    if (!/^\d+$/.test(timeout.trim()) || seconds < 1 || seconds > commands.maxTimeoutSeconds) {
      result.timeoutSeconds = `Enter a whole number of seconds from 1 to ${commands.maxTimeoutSeconds}.`;
    }
    return result;
  }, [agentId, rule, parsed, timeout, commands.maxTimeoutSeconds]);
  const invalid = Object.keys(errors).length > 0;
  // Argument problems show while typing; the rest once a submit was tried.
  const show = (field: keyof FieldErrors) => (field === "args" ? argsLine !== "" || submitted : submitted) && errors[field];

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (invalid) {
      const first = (["agentId", "command", "args", "timeoutSeconds"] as const).find((field) => errors[field]);
      formRef.current?.querySelector<HTMLElement>(`[name="${first === "args" ? "argsLine" : first}"]`)?.focus();
      return;
    }
    const form = new FormData(event.currentTarget);
    form.set("args", JSON.stringify(parsed.args));
    startTransition(() => formAction(form));
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-2xl gap-5">
      <div className="grid gap-2">
        <Label htmlFor={`${id}-agent`}>Agent</Label>
        <NativeSelect
          id={`${id}-agent`}
          name="agentId"
          value={agentId}
          onChange={(event) => setAgentId(event.target.value)}
          aria-invalid={show("agentId") ? true : undefined}
          aria-describedby={show("agentId") ? `${id}-agent-error` : undefined}
          className="min-w-72"
        >
          {agents.length === 0 && <NativeSelectOption value="">No agent is online</NativeSelectOption>}
          {agents.map((agent) => (
            <NativeSelectOption key={agent.id} value={agent.id}>
              {agent.hostname} ({agent.id.slice(0, 8)})
            </NativeSelectOption>
          ))}
        </NativeSelect>
        {show("agentId") && <FieldError id={`${id}-agent-error`}>{errors.agentId}</FieldError>}
      </div>

      <div className="grid gap-2">
        <Label htmlFor={`${id}-command`}>Command</Label>
        <NativeSelect
          id={`${id}-command`}
          name="command"
          value={command}
          onChange={(event) => setCommand(event.target.value)}
          aria-describedby={`${id}-command-help`}
          className="min-w-72"
        >
          {commands.items.map((item) => (
            <NativeSelectOption key={item.name} value={item.name}>
              {item.name} — {item.description}
            </NativeSelectOption>
          ))}
        </NativeSelect>
        <p id={`${id}-command-help`} className="text-muted-foreground text-sm">
          {rule ? (
            <>
              Runs <code className="font-mono">{rule.executable}</code> directly (no shell). {describeArgs(rule)}
            </>
          ) : (
            "Only whitelisted commands can run."
          )}
        </p>
      </div>

      <div className="grid gap-2">
        <Label htmlFor={`${id}-args`}>Arguments</Label>
        <Input
          id={`${id}-args`}
          name="argsLine"
          value={argsLine}
          onChange={(event) => setArgsLine(event.target.value)}
          placeholder={rule?.maxArgs === 0 ? "none" : 'e.g. hello "two words"'}
          disabled={rule?.maxArgs === 0 && argsLine === ""}
          autoComplete="off"
          spellCheck={false}
          className="font-mono"
          aria-invalid={show("args") ? true : undefined}
          aria-describedby={`${id}-args-help${show("args") ? ` ${id}-args-error` : ""}`}
        />
        <p id={`${id}-args-help`} className="text-muted-foreground text-sm">
          Separated by spaces; quote an argument that contains spaces.
        </p>
        {show("args") && (
          <FieldError id={`${id}-args-error`}>
            {errors.args!.map((message) => (
              <span key={message} className="block">
                {message}
              </span>
            ))}
          </FieldError>
        )}
      </div>

      <div className="grid gap-2">
        <Label htmlFor={`${id}-timeout`}>Timeout (seconds)</Label>
        <Input
          id={`${id}-timeout`}
          name="timeoutSeconds"
          type="number"
          inputMode="numeric"
          min={1}
          max={commands.maxTimeoutSeconds}
          value={timeout}
          onChange={(event) => setTimeoutValue(event.target.value)}
          className="w-40"
          aria-invalid={show("timeoutSeconds") ? true : undefined}
          aria-describedby={show("timeoutSeconds") ? `${id}-timeout-error` : undefined}
        />
        {show("timeoutSeconds") && <FieldError id={`${id}-timeout-error`}>{errors.timeoutSeconds}</FieldError>}
      </div>

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

function FieldError({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <p id={id} className="text-destructive text-sm" role="alert">
      {children}
    </p>
  );
}
