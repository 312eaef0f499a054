"use client";

import { Fragment, useCallback, useEffect, useState } from "react";
import Link from "next/link";
import { ChevronDown, ChevronLeft, ChevronRight, ChevronUp } from "lucide-react";

import { ACTIVE_JOB_STATES, RUN_STATES, type JobState, type Page, type Run, type RunState } from "@/lib/api/types";
import { runsQuery } from "@/lib/api/runs-query";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useLiveEvents } from "@/lib/live/live-provider";
import { OutputBlock } from "@/components/jobs/output-block";
import { JobStateBadge, stateLabel } from "@/components/status/status-badge";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const RUNS_PAGE_SIZE = 50;
/** Running output is read from Temporal on each GET and not announced on the live feed. */
const ACTIVE_POLL_MS = 2000;

function isActive(state: RunState): boolean {
  return ACTIVE_JOB_STATES.includes(state as JobState);
}

/**
 * A job's runs, a page at a time, filterable by state. Re-read when the live feed says the job
 * changed, and polled while the job is active (for the running output).
 */
export function RunsTable({
  jobId,
  jobActive,
  hostnames,
  pageSize = RUNS_PAGE_SIZE,
}: {
  jobId: string;
  jobActive: boolean;
  hostnames: Record<string, string>;
  pageSize?: number;
}) {
  const [page, setPage] = useState(0);
  const [state, setState] = useState<RunState | "">("");
  const [runs, setRuns] = useState<Page<Run>>();
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState<Set<string>>(new Set());

  const load = useCallback(async () => {
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(jobId)}/runs?${runsQuery({ page, size: pageSize, state })}`, {
        cache: "no-store",
      });
      const body = await response.json();
      if (!response.ok) {
        setError(body.detail || body.title || `the dashboard answered ${response.status}`);
        return;
      }
      setRuns(body as Page<Run>);
      setError(undefined);
    } catch {
      // offline for a moment: the next event or poll tries again
    }
  }, [jobId, page, pageSize, state]);

  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- reading from the server on mount and when the filter changes
    void load();
  }, [load]);

  useLiveEvents((message) => {
    if (message.type === "resync" || (message.type === "job" && message.id === jobId)) void load();
  });

  useEffect(() => {
    if (!jobActive) return;
    const interval = setInterval(load, ACTIVE_POLL_MS);
    return () => clearInterval(interval);
  }, [jobActive, load]);

  const toggle = (key: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const total = runs?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const items = runs?.items ?? [];

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-end gap-4">
        <div className="grid gap-2">
          <Label htmlFor={`runs-state-${jobId}`}>State</Label>
          <NativeSelect
            id={`runs-state-${jobId}`}
            value={state}
            onChange={(event) => {
              setState(event.target.value as RunState | "");
              setPage(0);
            }}
          >
            <NativeSelectOption value="">All</NativeSelectOption>
            {RUN_STATES.map((value) => (
              <NativeSelectOption key={value} value={value}>
                {stateLabel(value)}
              </NativeSelectOption>
            ))}
          </NativeSelect>
        </div>
        <p className="text-muted-foreground pb-2 text-sm" aria-live="polite">
          {runs ? `${total} run${total === 1 ? "" : "s"}${state ? ` ${stateLabel(state).toLowerCase()}` : ""}` : "Loading runs…"}
        </p>
      </div>
      {error && (
        <p role="alert" className="text-destructive text-sm">
          Cannot read the runs: {error}
        </p>
      )}
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Agent</TableHead>
            <TableHead>State</TableHead>
            <TableHead className="text-right">Attempt</TableHead>
            <TableHead className="text-right">Exit</TableHead>
            <TableHead className="text-right">Duration</TableHead>
            <TableHead>Started</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Output</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {runs && items.length === 0 && (
            <TableRow>
              <TableCell colSpan={7} className="text-muted-foreground py-6 text-center">
                {state ? "No run in this state." : "No runs yet."}
              </TableCell>
            </TableRow>
          )}
          {items.map((run) => {
            const key = `${run.agentId}:${run.attempt}`;
            const expanded = open.has(key);
            const hostname = run.hostname ?? hostnames[run.agentId] ?? run.agentId.slice(0, 8);
            const active = isActive(run.state);
            return (
              <Fragment key={key}>
                <TableRow data-run-agent={hostname} data-state={run.state}>
                  <TableCell className="font-medium">
                    <Link href={`/agents/${run.agentId}`} className="underline-offset-4 hover:underline">
                      {hostname}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <JobStateBadge state={run.state} />
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{run.attempt}</TableCell>
                  <TableCell className="text-right tabular-nums">{run.exitCode ?? "—"}</TableCell>
                  <TableCell className="text-right tabular-nums">
                    {formatDuration(run.durationMillis ?? (active ? run.progress?.elapsedMillis : null))}
                  </TableCell>
                  <TableCell>{formatDateTime(run.startedAt)}</TableCell>
                  <TableCell className="text-right">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-expanded={expanded}
                      aria-controls={`run-${jobId}-${key}`}
                      aria-label={`${expanded ? "Hide" : "Show"} output of ${hostname}`}
                      onClick={() => toggle(key)}
                    >
                      {expanded ? <ChevronUp aria-hidden="true" /> : <ChevronDown aria-hidden="true" />}
                      {expanded ? "Hide" : "Output"}
                    </Button>
                  </TableCell>
                </TableRow>
                {expanded && (
                  <TableRow id={`run-${jobId}-${key}`} className="hover:bg-transparent">
                    <TableCell colSpan={7} className="whitespace-normal">
                      <RunOutput run={run} />
                    </TableCell>
                  </TableRow>
                )}
              </Fragment>
            );
          })}
        </TableBody>
      </Table>
      {pages > 1 && (
        <nav aria-label="Run pages" className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <span className="text-muted-foreground">
            Page {page + 1} of {pages}
          </span>
          <span className="flex gap-2">
            <Button variant="outline" size="sm" disabled={page === 0} onClick={() => setPage(page - 1)}>
              <ChevronLeft aria-hidden="true" /> Previous
            </Button>
            <Button variant="outline" size="sm" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
              Next <ChevronRight aria-hidden="true" />
            </Button>
          </span>
        </nav>
      )}
    </div>
  );
}

/** A run's output: the live tail while it runs, else stdout, stderr and why it ended. */
function RunOutput({ run }: { run: Run }) {
  if (isActive(run.state)) {
    return (
      <div className="grid gap-2">
        <p className="text-muted-foreground text-xs">
          {run.progress ? `${run.progress.outputBytes} bytes so far; the latest part:` : "No output yet."}
        </p>
        <OutputBlock testId="run-live-output" text={run.progress?.tail} empty="(no output yet)" live />
      </div>
    );
  }
  return (
    <div className="grid gap-3">
      {run.error && (
        <p className="text-sm">
          <span className="text-muted-foreground">Why it ended: </span>
          {run.error}
        </p>
      )}
      {run.state !== "SKIPPED" && (
        <div className="grid gap-3 lg:grid-cols-2">
          <div className="grid content-start gap-1">
            <span className="text-muted-foreground text-xs">
              Standard output{run.outputTruncated ? " (too long: its beginning and end are kept)" : ""}
            </span>
            <OutputBlock testId="run-stdout" text={run.stdout} empty="(empty)" />
          </div>
          <div className="grid content-start gap-1">
            <span className="text-muted-foreground text-xs">Standard error</span>
            <OutputBlock testId="run-stderr" text={run.stderr} empty="(empty)" />
          </div>
        </div>
      )}
      {run.temporalUrl && (
        <a href={run.temporalUrl} target="_blank" rel="noreferrer" className="text-xs underline-offset-4 hover:underline">
          This run&apos;s history in Temporal
        </a>
      )}
    </div>
  );
}
