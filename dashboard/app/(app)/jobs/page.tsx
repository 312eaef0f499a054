import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, ChevronRight, Plus } from "lucide-react";

import { listAgents, listCommands, listJobs, settle } from "@/lib/api/queries";
import { JOB_STATES, type JobState } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/session";
import { ErrorAlert } from "@/components/layout/error-alert";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { PageHeader } from "@/components/layout/page-header";
import { JobsTable } from "@/components/jobs/jobs-table";
import { stateLabel } from "@/components/status/status-badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

export const metadata: Metadata = { title: "Jobs" };

const PAGE_SIZES = [20, 50, 100];

function one(value: string | string[] | undefined): string {
  return typeof value === "string" ? value : "";
}

export default async function JobsPage({ searchParams }: PageProps<"/jobs">) {
  const session = await requireSession();
  const params = await searchParams;
  const page = Math.max(0, Number.parseInt(one(params.page), 10) || 0);
  const size = PAGE_SIZES.includes(Number(one(params.size))) ? Number(one(params.size)) : PAGE_SIZES[0];
  const filter = {
    state: JOB_STATES.includes(one(params.state) as JobState) ? (one(params.state) as JobState) : "",
    agent: one(params.agent),
    command: one(params.command),
  };

  const [jobs, agents, commands] = await Promise.all([
    settle(listJobs(page, size)),
    settle(listAgents()),
    settle(listCommands()),
  ]);
  const hostnames = new Map((agents.value ?? []).map((agent) => [agent.id, agent.hostname]));
  // The orchestrator's job list has no state/agent/command filters yet, so the filters apply to
  // the page fetched here; once the API filters, pass them through instead.
  const items = (jobs.value?.items ?? []).filter(
    (job) =>
      (!filter.state || job.state === filter.state) &&
      (!filter.agent || job.agentId === filter.agent || (job.targets?.agentIds ?? []).includes(filter.agent)) &&
      (!filter.command || job.command === filter.command),
  );
  const total = jobs.value?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / size));
  const filtered = Boolean(filter.state || filter.agent || filter.command);
  const href = (target: number) => {
    const query = new URLSearchParams({ page: String(target), size: String(size) });
    for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
    return `/jobs?${query}`;
  };

  return (
    <>
      <LiveRefresh types={["job"]} />
      <PageHeader
        title="Jobs"
        description="Commands run on agents, newest first."
        actions={
          session.permissions.runJobs ? (
            <Button asChild>
              <Link href="/jobs/new">
                <Plus aria-hidden="true" />
                New job
              </Link>
            </Button>
          ) : undefined
        }
      />
      {jobs.error && <ErrorAlert title="Cannot read jobs" message={jobs.error} />}
      <Card>
        <CardContent className="grid gap-4">
          {/* keyed by the filters: the selects are uncontrolled, so a client-side navigation
              (e.g. Clear) must remount them to show the new values */}
          <form
            key={`${filter.state}|${filter.agent}|${filter.command}`}
            method="get"
            action="/jobs"
            className="flex flex-wrap items-end gap-4"
            aria-label="Filter jobs"
          >
            <input type="hidden" name="size" value={size} />
            <div className="grid gap-2">
              <Label htmlFor="filter-state">State</Label>
              <NativeSelect id="filter-state" name="state" defaultValue={filter.state}>
                <NativeSelectOption value="">All</NativeSelectOption>
                {JOB_STATES.map((state) => (
                  <NativeSelectOption key={state} value={state}>
                    {stateLabel(state)}
                  </NativeSelectOption>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-2">
              <Label htmlFor="filter-agent">Agent</Label>
              <NativeSelect id="filter-agent" name="agent" defaultValue={filter.agent}>
                <NativeSelectOption value="">All</NativeSelectOption>
                {(agents.value ?? []).map((agent) => (
                  <NativeSelectOption key={agent.id} value={agent.id}>
                    {agent.hostname}
                  </NativeSelectOption>
                ))}
              </NativeSelect>
            </div>
            <div className="grid gap-2">
              <Label htmlFor="filter-command">Command</Label>
              <NativeSelect id="filter-command" name="command" defaultValue={filter.command}>
                <NativeSelectOption value="">All</NativeSelectOption>
                {(commands.value?.items ?? []).map((command) => (
                  <NativeSelectOption key={command.name} value={command.name}>
                    {command.name}
                  </NativeSelectOption>
                ))}
              </NativeSelect>
            </div>
            <Button type="submit" variant="secondary">
              Apply
            </Button>
            {filtered && (
              <Button asChild variant="ghost">
                <Link href={`/jobs?size=${size}`}>Clear</Link>
              </Button>
            )}
          </form>

          <JobsTable
            jobs={items}
            hostnames={hostnames}
            // eslint-disable-next-line react-hooks/purity -- a server component renders once per request
            renderedAt={Date.now()}
            empty={filtered ? "No job on this page matches the filters." : "No jobs yet."}
          />

          <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className="text-muted-foreground">
              Page {page + 1} of {pages} · {total} jobs
              {filtered && ` · filters apply to this page (${items.length} of ${jobs.value?.items.length ?? 0} shown)`}
            </span>
            <span className="flex gap-2">
              {page > 0 ? (
                <Button asChild variant="outline" size="sm">
                  <Link href={href(page - 1)} rel="prev">
                    <ChevronLeft aria-hidden="true" /> Newer
                  </Link>
                </Button>
              ) : (
                <Button variant="outline" size="sm" disabled>
                  <ChevronLeft aria-hidden="true" /> Newer
                </Button>
              )}
              {page + 1 < pages ? (
                <Button asChild variant="outline" size="sm">
                  <Link href={href(page + 1)} rel="next">
                    Older <ChevronRight aria-hidden="true" />
                  </Link>
                </Button>
              ) : (
                <Button variant="outline" size="sm" disabled>
                  Older <ChevronRight aria-hidden="true" />
                </Button>
              )}
            </span>
          </nav>
        </CardContent>
      </Card>
    </>
  );
}
