"use client";

import { useId, useMemo, useState } from "react";
import { Search } from "lucide-react";

import type { Agent, CommandList, CommandRule, JobRequest } from "@/lib/api/types";
import {
  defaultPositional,
  draftErrors,
  draftToRequest,
  emptyDraft,
  hasChoiceArgs,
  type JobDraft,
  type JobDraftErrors,
  type JobDraftField,
  type TargetMode,
} from "@/lib/job-spec";
import { describeArgs, maxTimeoutFor } from "@/lib/policy";
import type { Checked, JobDryRun } from "@/lib/preview-actions";
import { useServerCheck, type CheckState } from "@/lib/use-server-check";
import { LabelChips } from "@/components/agents/label-chips";
import { AgentStatusBadge } from "@/components/status/status-badge";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { cn } from "@/lib/utils";

/** What the forms know of an agent: enough to list it and match selectors against it. */
export type TargetAgent = Pick<Agent, "id" | "hostname" | "status" | "labels">;

/** The order fields are checked in, so the first wrong one gets the focus. */
const FIELD_ORDER: JobDraftField[] = [
  "agentIds",
  "selector",
  "command",
  "argsLine",
  "timeout",
  "concurrency",
  "maxFailures",
  "offlineWait",
  "jobTimeout",
  "retryAttempts",
  "retryBackoff",
];

/**
 * A job being edited: its draft, what is wrong with it, and which errors to show (argument
 * and selector problems while typing, the rest once a submit was tried).
 */
/** Asks the orchestrator what submitting a request would do (the dryRunJob server action). */
export type DryRun = (request: JobRequest) => Promise<Checked<JobDryRun>>;

export function useJobDraft(commands: CommandList, initialAgentIds: string[], dryRun: DryRun) {
  const [draft, setDraft] = useState<JobDraft>(() => emptyDraft(commands, initialAgentIds));
  const [submitted, setSubmitted] = useState(false);
  const errors = useMemo(() => draftErrors(draft, commands), [draft, commands]);
  const shown: JobDraftErrors = {};
  for (const field of FIELD_ORDER) {
    const typing = (field === "argsLine" || field === "selector") && draft[field] !== "";
    if (errors[field] && (submitted || typing)) shown[field] = errors[field];
  }
  const update = (change: Partial<JobDraft>) => setDraft((previous) => ({ ...previous, ...change }));
  // Whether the orchestrator would accept it, and on which agents, is asked of the orchestrator.
  const request = Object.keys(errors).length === 0 ? draftToRequest(draft, commands) : null;
  const check = useServerCheck(request && JSON.stringify(request), request!, dryRun);

  /** Marks a submit attempt; returns the request when valid, else focuses the first wrong field in form. */
  function submit(form: HTMLFormElement | null): JobRequest | null {
    setSubmitted(true);
    const first = FIELD_ORDER.find((field) => errors[field]);
    if (first) {
      form?.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return null;
    }
    return draftToRequest(draft, commands);
  }

  return { draft, update, errors, shown, submit, check, invalid: Object.keys(errors).length > 0 };
}

interface FieldsProps {
  draft: JobDraft;
  update: (change: Partial<JobDraft>) => void;
  shown: JobDraftErrors;
  /** The orchestrator's dry run of the draft (POST /api/v1/jobs/dry-run). */
  check?: CheckState<JobDryRun>;
}

const NOT_CHECKED: CheckState<JobDryRun> = { status: "idle" };

/** Targets, command and rollout: the job fields the new-job and schedule forms share. */
export function JobSpecFields({
  agents,
  commands,
  ...fields
}: FieldsProps & { agents: TargetAgent[]; commands: CommandList }) {
  return (
    <>
      <TargetFields agents={agents} {...fields} />
      <CommandFields commands={commands} {...fields} />
      <RolloutFields {...fields} />
      <PolicyCheck check={fields.check ?? NOT_CHECKED} />
    </>
  );
}

const TARGET_MODES: { mode: TargetMode; label: string }[] = [
  { mode: "agents", label: "Chosen agents" },
  { mode: "selector", label: "Label selector" },
  { mode: "all", label: "All online agents" },
];

/** The orchestrator's verdict on the job as it stands: what it would run, or why it would refuse. */
function PolicyCheck({ check }: { check: CheckState<JobDryRun> }) {
  if (check.status === "idle") return null;
  return (
    <div className="rounded-md border p-3 text-sm" data-testid="policy-check" aria-live="polite">
      {check.status === "pending" && <p className="text-muted-foreground">Checking with the orchestrator…</p>}
      {check.status === "done" && check.error !== undefined && (
        <p className="text-destructive" role="alert">
          The orchestrator would refuse this job: {check.error}
        </p>
      )}
      {check.status === "done" && check.ok && (
        <p>
          The orchestrator accepts this job: it runs{" "}
          <code className="font-mono">{[check.ok.executable, ...(check.ok.args ?? [])].join(" ")}</code> on{" "}
          {check.ok.agents?.length ?? 0} agent{check.ok.agents?.length === 1 ? "" : "s"}, {check.ok.timeoutSeconds} s at
          most each.
        </p>
      )}
    </div>
  );
}

function TargetFields({ agents, draft, update, shown, check }: FieldsProps & { agents: TargetAgent[] }) {
  const id = useId();
  const online = agents.filter((agent) => agent.status === "ONLINE");
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-2 text-sm font-medium">Targets</legend>
      <div role="radiogroup" aria-label="Target" className="flex flex-wrap gap-4">
        {TARGET_MODES.map(({ mode, label }) => (
          <label key={mode} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name={`${id}-target-mode`}
              value={mode}
              checked={draft.targetMode === mode}
              onChange={() => update({ targetMode: mode })}
              className="accent-primary size-4"
            />
            {label}
          </label>
        ))}
      </div>
      {draft.targetMode === "agents" && (
        <AgentPicker agents={agents} draft={draft} update={update} shown={shown} check={check} />
      )}
      {draft.targetMode === "selector" && (
        <SelectorField online={online} draft={draft} update={update} shown={shown} check={check} />
      )}
      {draft.targetMode === "all" && (
        <p className="text-muted-foreground text-sm" data-testid="target-preview">
          {online.length} agent{online.length === 1 ? " is" : "s are"} online now. The list is taken when the job
          starts; agents that come online later are not included.
        </p>
      )}
    </fieldset>
  );
}

function AgentPicker({ agents, draft, update, shown }: FieldsProps & { agents: TargetAgent[] }) {
  const id = useId();
  const [query, setQuery] = useState("");
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const visible = agents.filter((agent) => {
    const text = `${agent.hostname} ${agent.id} ${Object.entries(agent.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const selected = new Set(draft.agentIds);
  const toggle = (agentId: string, on: boolean) =>
    update({ agentIds: on ? [...draft.agentIds, agentId] : draft.agentIds.filter((x) => x !== agentId) });
  const error = shown.agentIds;
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center gap-3">
        <div className="relative">
          <Search className="text-muted-foreground absolute top-1/2 left-2.5 size-4 -translate-y-1/2" aria-hidden="true" />
          <Input
            type="search"
            aria-label="Find agents"
            placeholder="Hostname or label…"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            className="w-64 pl-8"
          />
        </div>
        <span className="text-muted-foreground text-sm" aria-live="polite" data-testid="agents-selected">
          {selected.size} of {agents.length} selected
        </span>
      </div>
      <ul
        id={`${id}-agents`}
        aria-label="Agents"
        aria-describedby={error ? `${id}-agents-error` : undefined}
        className={cn("max-h-64 divide-y overflow-auto rounded-md border", error && "border-destructive")}
      >
        {agents.length === 0 && <li className="text-muted-foreground p-3 text-sm">No agents are enrolled.</li>}
        {agents.length > 0 && visible.length === 0 && (
          <li className="text-muted-foreground p-3 text-sm">No agents match.</li>
        )}
        {visible.map((agent, index) => (
          <li key={agent.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2">
            <input
              type="checkbox"
              id={`${id}-agent-${agent.id}`}
              checked={selected.has(agent.id)}
              onChange={(event) => toggle(agent.id, event.target.checked)}
              className="accent-primary size-4"
              data-field={index === 0 ? "agentIds" : undefined}
            />
            <label htmlFor={`${id}-agent-${agent.id}`} className="text-sm font-medium">
              {agent.hostname}
            </label>
            <AgentStatusBadge status={agent.status} />
            <LabelChips labels={agent.labels} empty="" />
          </li>
        ))}
      </ul>
      <p className="text-muted-foreground text-sm">
        A chosen agent that is offline gets its run when it comes back, within the offline wait.
      </p>
      {error && <FieldError id={`${id}-agents-error`} messages={error} />}
    </div>
  );
}

function SelectorField({ online, draft, update, shown, check = NOT_CHECKED }: FieldsProps & { online: TargetAgent[] }) {
  const id = useId();
  // The agents the orchestrator's dry run resolved the selector to; none when it matched none.
  const matched: TargetAgent[] | null =
    check.status !== "done"
      ? null
      : check.ok
        ? (check.ok.agents ?? []).map((agent) => ({
            id: agent.id ?? "",
            hostname: agent.hostname ?? "",
            status: agent.status ?? "ONLINE",
            labels: agent.labels ?? {},
          }))
        : check.type === "no-targets"
          ? []
          : null;
  const matching = matched ?? [];
  const error = shown.selector ?? (check.status === "done" && check.type === "invalid-request" ? check.error : undefined);
  return (
    <div className="grid gap-2">
      <Label htmlFor={`${id}-selector`}>Selector</Label>
      <Input
        id={`${id}-selector`}
        data-field="selector"
        value={draft.selector}
        onChange={(event) => update({ selector: event.target.value })}
        placeholder="env=prod,role in (web,api)"
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-selector-help${error ? ` ${id}-selector-error` : ""}`}
      />
      <p id={`${id}-selector-help`} className="text-muted-foreground text-sm">
        <code className="font-mono">k=v</code>, <code className="font-mono">k!=v</code>,{" "}
        <code className="font-mono">k in (a,b)</code>, <code className="font-mono">k notin (a,b)</code>,{" "}
        <code className="font-mono">k</code> (has the label), <code className="font-mono">!k</code> (has not); commas
        mean all must hold. Only online agents are picked, when the job starts.
      </p>
      {error && <FieldError id={`${id}-selector-error`} messages={error} />}
      {matched && (
        <div className="grid gap-2 rounded-md border p-3" data-testid="target-preview" aria-live="polite">
          <p className="text-sm">
            Matches <strong className="tabular-nums">{matching.length}</strong> of {online.length} online agent
            {online.length === 1 ? "" : "s"} now
            {matching.length === 0 ? "." : ":"}
          </p>
          {matching.length > 0 && (
            <ul className="grid gap-1 text-sm" aria-label="Matching agents">
              {matching.map((agent) => (
                <li key={agent.id} className="flex flex-wrap items-center gap-2" data-agent={agent.hostname}>
                  <span className="font-medium">{agent.hostname}</span>
                  <LabelChips labels={agent.labels} empty="" />
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function CommandFields({ commands, draft, update, shown }: FieldsProps & { commands: CommandList }) {
  const id = useId();
  const rule = commands.items.find((c) => c.name === draft.command);
  return (
    <>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-command`}>Command</Label>
        <NativeSelect
          id={`${id}-command`}
          data-field="command"
          value={draft.command}
          onChange={(event) => {
            const next = commands.items.find((c) => c.name === event.target.value);
            update({ command: event.target.value, positional: defaultPositional(next) });
          }}
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

      {rule && hasChoiceArgs(rule) ? (
        <ChoiceArgs rule={rule} draft={draft} update={update} shown={shown} />
      ) : (
        <ArgsLine label="Arguments" rule={rule} draft={draft} update={update} shown={shown} />
      )}

      <SecondsField
        field="timeout"
        label="Timeout (seconds)"
        help="How long the command may run on each agent before it is killed."
        max={maxTimeoutFor(rule, commands.maxTimeoutSeconds)}
        min={1}
        draft={draft}
        update={update}
        shown={shown}
      />
    </>
  );
}

/** The arguments as one line, split like a shell would (no expansion). */
function ArgsLine({
  label,
  rule,
  draft,
  update,
  shown,
  errors = true,
}: FieldsProps & { label: string; rule: CommandRule | undefined; errors?: boolean }) {
  const id = useId();
  const error = errors ? shown.argsLine : undefined;
  return (
    <div className="grid gap-2">
      <Label htmlFor={`${id}-args`}>{label}</Label>
      <Input
        id={`${id}-args`}
        data-field={errors ? "argsLine" : undefined}
        value={draft.argsLine}
        onChange={(event) => update({ argsLine: event.target.value })}
        placeholder={rule?.maxArgs === 0 ? "none" : 'e.g. hello "two words"'}
        disabled={rule?.maxArgs === 0 && draft.argsLine === ""}
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-args-help${error ? ` ${id}-args-error` : ""}`}
      />
      <p id={`${id}-args-help`} className="text-muted-foreground text-sm">
        Separated by spaces; quote an argument that contains spaces.
      </p>
      {error && <FieldError id={`${id}-args-error`} messages={error} />}
    </div>
  );
}

/** One field per positional argument (a select for an enum), then a line for any further ones. */
function ChoiceArgs({ rule, draft, update, shown }: FieldsProps & { rule: CommandRule }) {
  const id = useId();
  const positional = rule.args ?? [];
  const set = (index: number, value: string) => {
    const next = positional.map((_, i) => draft.positional[i] ?? "");
    next[index] = value;
    update({ positional: next });
  };
  return (
    <fieldset className="grid gap-3" aria-describedby={shown.argsLine ? `${id}-error` : undefined}>
      <legend className="mb-2 text-sm font-medium">Arguments</legend>
      <div className="flex flex-wrap gap-4">
        {positional.map((arg, index) => {
          const label = `${arg.name ?? `Argument ${index + 1}`}${index < rule.minArgs ? "" : " (optional)"}`;
          const common = {
            id: `${id}-${index}`,
            value: draft.positional[index] ?? "",
            "data-field": index === 0 ? "argsLine" : undefined,
            "aria-invalid": shown.argsLine ? true : undefined,
          };
          return (
            <div key={index} className="grid content-start gap-2">
              <Label htmlFor={`${id}-${index}`}>{label}</Label>
              {arg.enum.length > 0 ? (
                <NativeSelect {...common} onChange={(event) => set(index, event.target.value)} className="min-w-40">
                  {index >= rule.minArgs && <NativeSelectOption value="">(none)</NativeSelectOption>}
                  {arg.enum.map((value) => (
                    <NativeSelectOption key={value} value={value}>
                      {value}
                    </NativeSelectOption>
                  ))}
                </NativeSelect>
              ) : (
                <Input
                  {...common}
                  onChange={(event) => set(index, event.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                  className="w-48 font-mono"
                  placeholder={arg.pattern ?? undefined}
                />
              )}
            </div>
          );
        })}
      </div>
      {rule.maxArgs > positional.length && (
        <ArgsLine label="More arguments" rule={rule} draft={draft} update={update} shown={shown} errors={false} />
      )}
      {shown.argsLine && <FieldError id={`${id}-error`} messages={shown.argsLine} />}
    </fieldset>
  );
}

function RolloutFields(props: FieldsProps) {
  const attempts = Number(props.draft.retryAttempts || "1");
  return (
    <fieldset className="grid gap-4 rounded-md border p-4">
      <legend className="px-1 text-sm font-medium">Rollout and failures</legend>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          {...props}
          field="concurrency"
          label="Concurrency"
          placeholder="all at once"
          help="Runs at the same time: a count (5) or a share of the targets (20%). Empty: all at once."
        />
        <TextField
          {...props}
          field="maxFailures"
          label="Max failures"
          placeholder="no limit"
          help="Stop starting new runs once this many failed (a count or a %); the rest end Skipped."
        />
        <SecondsField
          {...props}
          field="offlineWait"
          label="Offline wait (seconds)"
          placeholder="default"
          min={1}
          help="How long a run waits for its agent to come online before it ends Agent offline."
        />
        <SecondsField
          {...props}
          field="jobTimeout"
          label="Job timeout (seconds)"
          placeholder="none"
          min={1}
          help="Limit for the whole job; runs still going when it passes are canceled."
        />
        <SecondsField
          {...props}
          field="retryAttempts"
          label="Attempts per run"
          placeholder="1 (no retry)"
          min={1}
          help="Retries only runs lost to agent failure (Agent lost), never runs whose command failed. Default 1: no retry, since a command need not be safe to run twice."
        />
        {attempts > 1 && (
          <SecondsField
            {...props}
            field="retryBackoff"
            label="Backoff between attempts (seconds)"
            min={0}
            help="Wait before the second attempt; it doubles before each further one."
          />
        )}
      </div>
    </fieldset>
  );
}

type StringField = Exclude<JobDraftField, "agentIds" | "targetMode" | "positional">;

function TextField({
  field,
  label,
  help,
  placeholder,
  draft,
  update,
  shown,
  inputProps,
}: FieldsProps & {
  field: StringField;
  label: string;
  help: string;
  placeholder?: string;
  inputProps?: React.ComponentProps<"input">;
}) {
  const id = useId();
  const error = shown[field];
  return (
    <div className="grid content-start gap-2">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        data-field={field}
        value={draft[field]}
        onChange={(event) => update({ [field]: event.target.value })}
        placeholder={placeholder}
        autoComplete="off"
        className="w-40"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
        {...inputProps}
      />
      <p id={`${id}-help`} className="text-muted-foreground text-sm">
        {help}
      </p>
      {error && <FieldError id={`${id}-error`} messages={error} />}
    </div>
  );
}

function SecondsField({ min, max, ...props }: Parameters<typeof TextField>[0] & { min: number; max?: number }) {
  return <TextField {...props} inputProps={{ type: "number", inputMode: "numeric", min, max }} />;
}

export function FieldError({ id, messages }: { id: string; messages: string[] | string }) {
  return (
    <p id={id} className="text-destructive text-sm" role="alert">
      {(Array.isArray(messages) ? messages : [messages]).map((message) => (
        <span key={message} className="block">
          {message}
        </span>
      ))}
    </p>
  );
}
