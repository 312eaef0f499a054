import type { Metadata } from "next";
import Link from "next/link";
import { ExternalLink } from "lucide-react";

import { clientConfig, listAgents, listJobs, orchestratorHealth, settle } from "@/lib/api/queries";
import { ACTIVE_JOB_STATES, FAILED_JOB_STATES } from "@/lib/api/types";
import { formatPercent, formatRelative } from "@/lib/format";
import { ErrorAlert } from "@/components/layout/error-alert";
import { LiveIndicator } from "@/components/layout/live-indicator";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { PageHeader } from "@/components/layout/page-header";
import { commandLine, JobLink } from "@/components/jobs/job-link";
import { JobTarget } from "@/components/jobs/jobs-table";
import { AgentStatusBadge, JobStateBadge } from "@/components/status/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Overview" };

/** How many of the latest jobs the overview looks at (the API has no state counts yet). */
const RECENT_JOBS = 100;

export default async function OverviewPage() {
  const [agents, jobs, health, config] = await Promise.all([
    settle(listAgents()),
    settle(listJobs(0, RECENT_JOBS)),
    orchestratorHealth(),
    settle(clientConfig()),
  ]);
  const agentList = agents.value ?? [];
  const jobList = jobs.value?.items ?? [];
  const count = (status: string) => agentList.filter((agent) => agent.status === status).length;
  const running = jobList.filter((job) => ACTIVE_JOB_STATES.includes(job.state));
  const failures = jobList.filter((job) => FAILED_JOB_STATES.includes(job.state));
  const hostnames = new Map(agentList.map((agent) => [agent.id, agent.hostname]));
  const storeUp = health.status === "UP" && !agents.error && !jobs.error;

  return (
    <>
      <LiveRefresh types={["agent", "job"]} />
      <PageHeader title="Overview" description="Agents, jobs and the health of the orchestrator." />
      {agents.error && <ErrorAlert title="Cannot read agents" message={agents.error} />}
      {jobs.error && <ErrorAlert title="Cannot read jobs" message={jobs.error} />}

      <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Agents online" value={count("ONLINE")} href="/agents?status=ONLINE" testId="stat-online" />
        <Stat
          label="Agents offline"
          value={count("OFFLINE")}
          href="/agents?status=OFFLINE"
          testId="stat-offline"
          note={`${count("ENROLLED")} enrolled, not yet seen`}
        />
        <Stat
          label="Jobs running"
          value={running.length}
          href="/jobs"
          testId="stat-running"
          note={`queued, dispatched or running, of the latest ${RECENT_JOBS}`}
        />
        <Stat
          label="Recent failures"
          value={failures.length}
          href="/jobs?state=FAILED"
          testId="stat-failures"
          note={`of the latest ${RECENT_JOBS} jobs`}
        />
      </section>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Health</h2>
            </CardTitle>
            <CardDescription>As the dashboard server sees it.</CardDescription>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-3 text-sm">
              <dt className="text-muted-foreground">Orchestrator</dt>
              <dd data-testid="health-orchestrator">
                <HealthValue up={health.status === "UP"} text={`${health.status} · ${health.latencyMs} ms`} />
              </dd>
              <dt className="text-muted-foreground">Store</dt>
              <dd>
                <HealthValue up={storeUp} text={storeUp ? "UP · queries answer" : "not answering"} />
              </dd>
              <dt className="text-muted-foreground">Temporal</dt>
              <dd className="grid gap-1">
                <span>namespace {config.value?.temporalNamespace ?? "—"}</span>
                {config.value && (
                  <a
                    href={config.value.temporalUiUrl}
                    target="_blank"
                    rel="noreferrer"
                    className="inline-flex items-center gap-1 underline-offset-4 hover:underline"
                  >
                    Temporal Web UI <ExternalLink className="size-3" aria-hidden="true" />
                  </a>
                )}
              </dd>
              <dt className="text-muted-foreground">Live feed</dt>
              <dd>
                <LiveIndicator />
              </dd>
            </dl>
          </CardContent>
        </Card>

        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>
              <h2>Recent failures</h2>
            </CardTitle>
            <CardDescription>Jobs that ended in failure, newest first.</CardDescription>
          </CardHeader>
          <CardContent>
            {failures.length === 0 ? (
              <p className="text-muted-foreground text-sm">No failed jobs among the latest {RECENT_JOBS}.</p>
            ) : (
              <Table>
                <TableHeader>
                  <TableRow>
                    <TableHead>Job</TableHead>
                    <TableHead>Command</TableHead>
                    <TableHead>Targets</TableHead>
                    <TableHead>State</TableHead>
                    <TableHead>Created</TableHead>
                  </TableRow>
                </TableHeader>
                <TableBody>
                  {failures.slice(0, 8).map((job) => (
                    <TableRow key={job.id}>
                      <TableCell>
                        <JobLink id={job.id} />
                      </TableCell>
                      <TableCell className="max-w-64 truncate font-mono text-xs">
                        {commandLine(job.command, job.args)}
                      </TableCell>
                      <TableCell className="max-w-48 truncate">
                        <JobTarget job={job} hostnames={hostnames} />
                      </TableCell>
                      <TableCell>
                        <JobStateBadge state={job.state} />
                      </TableCell>
                      <TableCell>{formatRelative(job.createdAt)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            )}
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Agents</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          {agentList.length === 0 ? (
            <p className="text-muted-foreground text-sm">
              No agents yet. <Link href="/enrollment" className="underline underline-offset-4">Enroll one</Link>.
            </p>
          ) : (
            <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
              {agentList
                .filter((agent) => agent.status !== "DECOMMISSIONED")
                .map((agent) => (
                  <li key={agent.id} className="flex items-center justify-between gap-2 rounded-md border p-3">
                    <Link href={`/agents/${agent.id}`} className="truncate font-medium hover:underline">
                      {agent.hostname}
                    </Link>
                    <span className="text-muted-foreground flex items-center gap-2 text-xs">
                      CPU {formatPercent(agent.snapshot?.cpuUsage)}
                      <AgentStatusBadge status={agent.status} />
                    </span>
                  </li>
                ))}
            </ul>
          )}
        </CardContent>
      </Card>
    </>
  );
}

function Stat({
  label,
  value,
  href,
  note,
  testId,
}: {
  label: string;
  value: number;
  href: string;
  note?: string;
  testId: string;
}) {
  return (
    <Card className="gap-2">
      <CardHeader>
        <CardDescription>
          <Link href={href} className="hover:underline">
            {label}
          </Link>
        </CardDescription>
        <CardTitle className="text-3xl tabular-nums" data-testid={testId}>
          {value}
        </CardTitle>
      </CardHeader>
      {note && <CardContent className="text-muted-foreground text-xs">{note}</CardContent>}
    </Card>
  );
}

function HealthValue({ up, text }: { up: boolean; text: string }) {
  return (
    <span className="inline-flex items-center gap-2">
      <span aria-hidden="true" className={up ? "size-2 rounded-full bg-emerald-500" : "size-2 rounded-full bg-red-500"} />
      {text}
    </span>
  );
}
