"use client";

import { useCallback, useEffect, useState, useTransition } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ExternalLink, Square } from "lucide-react";

import { ACTIVE_JOB_STATES, type Job } from "@/lib/api/types";
import type { Permissions } from "@/lib/auth/permissions";
import { formatDateTime, formatDuration } from "@/lib/format";
import { describeTargets, rolloutFacts } from "@/lib/job-spec";
import { useLiveEvents } from "@/lib/live/live-provider";
import { commandLine } from "@/components/jobs/job-link";
import { OutputBlock } from "@/components/jobs/output-block";
import { RunSummaryBadges, RunSummaryBar } from "@/components/jobs/run-summary";
import { RunsTable } from "@/components/jobs/runs-table";
import { JobStateBadge } from "@/components/status/status-badge";
import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/**
 * While a job is active its progress (state RUNNING, elapsed time, output so far) is read from
 * Temporal on each GET and is not announced on the live feed, so the page also polls this often.
 */
const ACTIVE_POLL_MS = 1500;

export interface JobDetailProps {
  initialJob: Job;
  /** Hostnames of the agents by id, for the target and runs. */
  hostnames: Record<string, string>;
  permissions: Pick<Permissions, "cancelJobs">;
  /** Cancels the job (a server action); returns an error message when refused. */
  cancel: (id: string) => Promise<{ error?: string }>;
}

/** A job with one run shows that run's result; a job with many shows its summary and runs. */
export function isSingleRun(job: Pick<Job, "runCount" | "agentId">): boolean {
  return job.agentId != null && (job.runCount ?? 1) <= 1;
}

export function JobDetail({ initialJob, hostnames, permissions, cancel }: JobDetailProps) {
  const [job, setJob] = useState(initialJob);
  const [error, setError] = useState<string>();
  const [canceling, startCancel] = useTransition();
  const router = useRouter();
  const active = ACTIVE_JOB_STATES.includes(job.state);
  const single = isSingleRun(job);

  const reload = useCallback(async () => {
    try {
      const response = await fetch(`/api/jobs/${encodeURIComponent(job.id)}`, { cache: "no-store" });
      if (response.status === 401) {
        router.push("/login?expired=1");
        return;
      }
      if (response.ok) setJob((await response.json()) as Job);
    } catch {
      // offline for a moment: the next event or poll tries again
    }
  }, [job.id, router]);

  useLiveEvents((message) => {
    if (message.type === "resync" || (message.type === "job" && message.id === job.id)) void reload();
  });

  // The browser's clock, for how long a job with many runs has been going (it has no progress of
  // its own); null until the first poll so the server's HTML and hydration agree.
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!active) return;
    const interval = setInterval(() => {
      setNow(Date.now());
      void reload();
    }, ACTIVE_POLL_MS);
    return () => clearInterval(interval);
  }, [active, reload]);

  const onCancel = () =>
    startCancel(async () => {
      const result = await cancel(job.id);
      setError(result.error);
      await reload();
    });

  const elapsed = job.progress?.elapsedMillis ?? (now !== null && job.startedAt ? now - Date.parse(job.startedAt) : null);
  const duration = job.durationMillis ?? (active ? elapsed : null);
  const hostnameMap = new Map(Object.entries(hostnames));

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="grid gap-2">
          <h1 className="flex flex-wrap items-center gap-3 text-2xl font-semibold tracking-tight">
            <code className="font-mono">{commandLine(job.command, job.args)}</code>
            <span data-testid="job-state" aria-live="polite">
              <JobStateBadge state={job.state} />
            </span>
          </h1>
          <p className="text-muted-foreground font-mono text-xs">job {job.id}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button asChild variant="outline">
            <a href={job.temporalUrl} target="_blank" rel="noreferrer">
              History in Temporal <ExternalLink aria-hidden="true" />
            </a>
          </Button>
          {permissions.cancelJobs && active && (
            <Button
              variant="destructive"
              onClick={onCancel}
              disabled={canceling}
              title={single ? undefined : "Stops every running run; runs not yet started never start."}
            >
              <Square aria-hidden="true" />
              {canceling ? "Canceling…" : "Cancel job"}
            </Button>
          )}
        </div>
      </div>
      {error && (
        <p role="alert" className="text-destructive text-sm">
          {error}
        </p>
      )}
      {job.error && (
        <Alert variant="destructive">
          <AlertTitle>{job.state === "SUCCEEDED" ? "Note" : "Why it ended"}</AlertTitle>
          <AlertDescription>{job.error}</AlertDescription>
        </Alert>
      )}

      <Card>
        <CardContent>
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
            {single ? (
              <>
                <Fact term="Exit code" testId="job-exit-code">
                  {job.exitCode ?? "—"}
                </Fact>
                <Fact term={active ? "Running for" : "Duration"} testId="job-duration">
                  {formatDuration(duration)}
                </Fact>
                <Fact term="Agent">
                  <Link href={`/agents/${job.agentId}`} className="underline-offset-4 hover:underline">
                    {hostnames[job.agentId!] ?? job.agentId}
                  </Link>
                </Fact>
              </>
            ) : (
              <>
                <Fact term="Runs" testId="job-run-count">
                  {job.runCount ?? 0}
                </Fact>
                <Fact term={active ? "Running for" : "Duration"} testId="job-duration">
                  {formatDuration(duration)}
                </Fact>
                <Fact term="Targets" testId="job-targets">
                  {describeTargets(job.targets, hostnameMap)}
                </Fact>
              </>
            )}
            <Fact term="Timeout">{formatDuration(job.timeoutSeconds * 1000)}</Fact>
            <Fact term="Created">{formatDateTime(job.createdAt)}</Fact>
            <Fact term="Started">{formatDateTime(job.startedAt)}</Fact>
            <Fact term="Finished">{formatDateTime(job.finishedAt)}</Fact>
            <Fact term="Created by">
              {job.scheduleId ? (
                <Link href={`/schedules#schedule-${job.scheduleId}`} className="underline-offset-4 hover:underline">
                  schedule
                </Link>
              ) : (
                (job.createdBy ?? "—")
              )}
            </Fact>
            {single && job.targets && !job.targets.agentIds && (
              <Fact term="Targets" testId="job-targets">
                {describeTargets(job.targets, hostnameMap)}
              </Fact>
            )}
            {!single &&
              rolloutFacts(job).map(([term, text]) => (
                <Fact key={term} term={term}>
                  {text}
                </Fact>
              ))}
          </dl>
        </CardContent>
      </Card>

      {!single && (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Runs</h2>
            </CardTitle>
            <CardDescription>One run per target agent, each with its own state, output and timings.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-6">
            <div className="flex flex-wrap items-center gap-4">
              <RunSummaryBar summary={job.summary} runCount={job.runCount ?? 0} className="[&>div]:h-3 [&>div]:w-48" />
              <RunSummaryBadges summary={job.summary} />
            </div>
            <RunsTable jobId={job.id} jobActive={active} hostnames={hostnames} />
          </CardContent>
        </Card>
      )}

      {single && active && (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Live output</h2>
            </CardTitle>
            <CardDescription>
              {job.progress
                ? `${job.progress.outputBytes} bytes so far; the latest part is shown and updates while the job runs.`
                : job.state === "RUNNING"
                  ? "Running; no output yet."
                  : "Waiting for the agent to start the command."}
            </CardDescription>
          </CardHeader>
          <CardContent>
            <OutputBlock testId="job-live-output" text={job.progress?.tail} empty="(no output yet)" live />
          </CardContent>
        </Card>
      )}

      {single && !active && (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Standard output</h2>
              </CardTitle>
              {job.outputTruncated && (
                <CardDescription>Output was too long; its beginning and end are kept.</CardDescription>
              )}
            </CardHeader>
            <CardContent>
              <OutputBlock testId="job-stdout" text={job.stdout} empty="(empty)" />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>
                <h2>Standard error</h2>
              </CardTitle>
            </CardHeader>
            <CardContent>
              <OutputBlock testId="job-stderr" text={job.stderr} empty="(empty)" />
            </CardContent>
          </Card>
        </div>
      )}
    </div>
  );
}

function Fact({ term, children, testId }: { term: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="grid gap-1">
      <dt className="text-muted-foreground">{term}</dt>
      <dd className="tabular-nums" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
