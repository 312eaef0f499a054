import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";

import { ApiError } from "@/lib/api/orchestrator";
import { agentMetrics, getAgent, listJobs, settle } from "@/lib/api/queries";
import type { Agent, AgentMetricSample } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/session";
import { formatBytes, formatDateTime, formatDuration, formatPercent, ratio } from "@/lib/format";
import { setAgentLabels } from "@/lib/agents-actions";
import { DecommissionButton } from "@/components/agents/decommission-button";
import { LabelsEditor } from "@/components/agents/labels-editor";
import { LineChart, type Point } from "@/components/charts/line-chart";
import { ErrorAlert } from "@/components/layout/error-alert";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { PageHeader } from "@/components/layout/page-header";
import { JobsTable } from "@/components/jobs/jobs-table";
import { AgentStatusBadge } from "@/components/status/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/utils";

export const metadata: Metadata = { title: "Agent" };

/** Chart periods; the orchestrator keeps 24 h of samples. */
const RANGES = { "1h": 3_600_000, "6h": 6 * 3_600_000, "24h": 24 * 3_600_000 } as const;
type Range = keyof typeof RANGES;
/** Recent jobs are picked from this many latest jobs (the job list has no agent filter yet). */
const JOB_WINDOW = 200;

export default async function AgentPage({ params, searchParams }: PageProps<"/agents/[id]">) {
  const { id } = await params;
  const { range: rangeParam } = await searchParams;
  const range: Range = typeof rangeParam === "string" && rangeParam in RANGES ? (rangeParam as Range) : "1h";
  const session = await requireSession();

  let agent: Agent;
  try {
    agent = await getAgent(id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) notFound();
    throw e;
  }
  // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
  const renderedAt = Date.now();
  const from = renderedAt - RANGES[range];
  const [metrics, jobs] = await Promise.all([
    settle(agentMetrics(id, new Date(from), new Date(renderedAt))),
    settle(listJobs(0, JOB_WINDOW)),
  ]);
  const samples = withCurrentSnapshot(metrics.value ?? [], agent);
  const series = (value: (sample: AgentMetricSample) => number | null): Point[] =>
    samples.flatMap((sample) => {
      const v = value(sample);
      return v == null ? [] : [{ t: Date.parse(sample.capturedAt), v }];
    });
  const agentJobs = (jobs.value?.items ?? []).filter((job) => job.agentId === id || (job.targets?.agentIds ?? []).includes(id)).slice(0, 15);
  const snapshot = agent.snapshot;

  return (
    <>
      <LiveRefresh types={["agent", "job"]} />
      <Link href="/agents" className="text-muted-foreground inline-flex items-center gap-1 text-sm hover:underline">
        <ArrowLeft className="size-4" aria-hidden="true" /> Agents
      </Link>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {agent.hostname} <AgentStatusBadge status={agent.status} />
          </span>
        }
        description={`${agent.os}${snapshot ? ` ${snapshot.osVersion}` : ""} · agent ${agent.agentVersion} · ${agent.id}`}
        actions={
          session.permissions.decommissionAgents && agent.status !== "DECOMMISSIONED" ? (
            <DecommissionButton agentId={agent.id} hostname={agent.hostname} />
          ) : undefined
        }
      />

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Labels</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          {/* Labels are set by administrators, as the orchestrator allows (PUT .../labels is ADMIN only). */}
          <LabelsEditor
            agentId={agent.id}
            labels={agent.labels ?? {}}
            canEdit={session.permissions.decommissionAgents && agent.status !== "DECOMMISSIONED"}
            save={setAgentLabels}
          />
        </CardContent>
      </Card>

      <div className="grid gap-4 lg:grid-cols-3">
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Details</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
              <Row term="CPU">{snapshot ? `${snapshot.cpuCount} × ${snapshot.cpuModel}` : "—"}</Row>
              <Row term="Memory">{snapshot ? formatBytes(snapshot.memoryTotalBytes) : "—"}</Row>
              <Row term="Uptime">{snapshot ? formatDuration(snapshot.uptimeSeconds * 1000) : "—"}</Row>
              <Row term="Running jobs">{snapshot?.runningJobs ?? "—"}</Row>
              <Row term="Task queue">
                <span className="font-mono text-xs break-all">{agent.taskQueue}</span>
              </Row>
              <Row term="Metrics">{snapshot?.metricsAddress ?? "—"}</Row>
              <Row term="Enrolled">{formatDateTime(agent.enrolledAt)}</Row>
              <Row term="Last seen">{formatDateTime(agent.lastSeenAt)}</Row>
              {agent.wentOfflineAt && <Row term="Went offline">{formatDateTime(agent.wentOfflineAt)}</Row>}
              {agent.cameBackAt && <Row term="Came back">{formatDateTime(agent.cameBackAt)}</Row>}
              {agent.decommissionedAt && <Row term="Decommissioned">{formatDateTime(agent.decommissionedAt)}</Row>}
            </dl>
          </CardContent>
        </Card>

        <Card className="lg:col-span-2">
          <CardHeader>
            <CardTitle>
              <h2>Metrics</h2>
            </CardTitle>
            <CardDescription>Heartbeat samples over the last {range}.</CardDescription>
            <nav aria-label="Period" className="col-start-2 row-span-2 row-start-1 flex gap-1 self-start justify-self-end">
              {(Object.keys(RANGES) as Range[]).map((key) => (
                <Link
                  key={key}
                  href={`/agents/${id}?range=${key}`}
                  aria-current={key === range ? "page" : undefined}
                  className={cn(
                    "rounded-md px-2 py-1 text-xs font-medium",
                    key === range ? "bg-secondary" : "text-muted-foreground hover:bg-accent",
                  )}
                >
                  {key}
                </Link>
              ))}
            </nav>
          </CardHeader>
          <CardContent className="grid gap-6 md:grid-cols-2">
            {metrics.error && <ErrorAlert title="Cannot read metrics" message={metrics.error} />}
            <LineChart title="CPU" points={series((s) => s.cpuUsage)} from={from} to={renderedAt} yMax={1} format={(v) => formatPercent(v)} />
            <LineChart
              title="Memory"
              points={series((s) => ratio(s.memoryUsedBytes, s.memoryTotalBytes))}
              from={from}
              to={renderedAt}
              yMax={1}
              format={(v) => formatPercent(v)}
              color="var(--chart-1)"
            />
            <LineChart
              title="Disk"
              points={series((s) => ratio(s.diskUsedBytes, s.diskTotalBytes))}
              from={from}
              to={renderedAt}
              yMax={1}
              format={(v) => formatPercent(v)}
              color="var(--chart-3)"
            />
            <LineChart
              title="Load (1 min)"
              points={series((s) => s.loadAverage1m)}
              from={from}
              to={renderedAt}
              format={(v) => v.toFixed(2)}
              color="var(--chart-4)"
            />
          </CardContent>
        </Card>
      </div>

      {snapshot && snapshot.disks.length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>
              <h2>Disks</h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Mount</TableHead>
                  <TableHead>Type</TableHead>
                  <TableHead className="text-right">Used</TableHead>
                  <TableHead className="text-right">Size</TableHead>
                  <TableHead className="text-right">Use</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {snapshot.disks.map((disk) => (
                  <TableRow key={disk.mount}>
                    <TableCell className="font-mono text-xs">{disk.mount}</TableCell>
                    <TableCell>{disk.type}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatBytes(disk.usedBytes)}</TableCell>
                    <TableCell className="text-right tabular-nums">{formatBytes(disk.totalBytes)}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {formatPercent(ratio(disk.usedBytes, disk.totalBytes))}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
      )}

      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Recent jobs</h2>
          </CardTitle>
          <CardDescription>This agent&apos;s jobs among the latest {JOB_WINDOW}.</CardDescription>
        </CardHeader>
        <CardContent>
          {jobs.error && <ErrorAlert title="Cannot read jobs" message={jobs.error} />}
          <JobsTable
            jobs={agentJobs}
            hostnames={new Map([[agent.id, agent.hostname]])}
            renderedAt={renderedAt}
            empty="No recent jobs on this agent."
          />
        </CardContent>
      </Card>
    </>
  );
}

function Row({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

/**
 * The stored history keeps one sample per interval (30 s by default); the agent's latest
 * heartbeat is added as the newest point so the charts end at "now".
 */
function withCurrentSnapshot(samples: AgentMetricSample[], agent: Agent): AgentMetricSample[] {
  const snapshot = agent.snapshot;
  if (!snapshot) return samples;
  const capturedAt = new Date(snapshot.capturedAtMillis).toISOString();
  const last = samples[samples.length - 1];
  if (last && Date.parse(last.capturedAt) >= snapshot.capturedAtMillis) return samples;
  // Summed over all disks, as the orchestrator stores its samples.
  const disk = snapshot.disks.reduce(
    (sum, d) => ({ used: sum.used + d.usedBytes, total: sum.total + d.totalBytes }),
    { used: 0, total: 0 },
  );
  return [
    ...samples,
    {
      capturedAt,
      cpuUsage: snapshot.cpuUsage,
      loadAverage1m: snapshot.loadAverage1m,
      memoryUsedBytes: snapshot.memoryUsedBytes,
      memoryTotalBytes: snapshot.memoryTotalBytes,
      diskUsedBytes: disk.used,
      diskTotalBytes: disk.total,
      runningJobs: snapshot.runningJobs,
    },
  ];
}
