import type { Metadata } from "next";
import Link from "next/link";
import { Plus } from "lucide-react";

import { listAgents, listSchedules, settle } from "@/lib/api/queries";
import { requireSession } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { describeTargets, jobTargets } from "@/lib/job-spec";
import { changeSchedule } from "@/lib/schedules-actions";
import { commandLine, JobLink } from "@/components/jobs/job-link";
import { ErrorAlert } from "@/components/layout/error-alert";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { PageHeader } from "@/components/layout/page-header";
import { ScheduleActions } from "@/components/schedules/schedule-actions";
import { StatusBadge } from "@/components/status/status-badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Schedules" };

/** How many upcoming firings and recent jobs a row shows. */
const NEXT_RUNS = 3;
const RECENT_JOBS = 5;

export default async function SchedulesPage() {
  const session = await requireSession();
  const canWrite = session.permissions.runJobs;
  const [schedules, agents] = await Promise.all([settle(listSchedules()), settle(listAgents())]);
  const hostnames = new Map((agents.value ?? []).map((agent) => [agent.id, agent.hostname]));
  const items = schedules.value ?? [];

  return (
    <>
      <LiveRefresh types={["schedule", "job"]} />
      <PageHeader
        title="Schedules"
        description="Jobs that start on a cron expression (UTC). Each firing is a normal job."
        actions={
          canWrite ? (
            <Button asChild>
              <Link href="/schedules/new">
                <Plus aria-hidden="true" />
                New schedule
              </Link>
            </Button>
          ) : undefined
        }
      />
      {schedules.error && <ErrorAlert title="Cannot read schedules" message={schedules.error} />}
      <Card>
        <CardContent>
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>When</TableHead>
                <TableHead>Job</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Next runs</TableHead>
                <TableHead>Recent jobs</TableHead>
                {canWrite && (
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={canWrite ? 7 : 6} className="text-muted-foreground py-6 text-center">
                    No schedules yet.
                  </TableCell>
                </TableRow>
              )}
              {items.map((schedule) => (
                <TableRow key={schedule.id} id={`schedule-${schedule.id}`} data-schedule-name={schedule.name} className="align-top">
                  <TableCell className="font-medium">
                    {schedule.name}
                    <div className="text-muted-foreground text-xs font-normal">by {schedule.createdBy ?? "—"}</div>
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <code className="font-mono text-xs">{schedule.cron}</code>
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <code className="block max-w-56 truncate font-mono text-xs" title={commandLine(schedule.job.command, schedule.job.args)}>
                      {commandLine(schedule.job.command, schedule.job.args)}
                    </code>
                    <div className="text-muted-foreground max-w-56 truncate text-xs">
                      on {describeTargets(jobTargets(schedule.job), hostnames)}
                    </div>
                  </TableCell>
                  <TableCell>
                    <span data-testid="schedule-state">
                      {schedule.paused ? <StatusBadge value="PAUSED" tone="waiting" /> : <StatusBadge value="ACTIVE" tone="success" />}
                    </span>
                    {schedule.paused && schedule.note && (
                      <div className="text-muted-foreground max-w-40 text-xs whitespace-normal">{schedule.note}</div>
                    )}
                  </TableCell>
                  <TableCell className="text-xs">
                    {schedule.paused || schedule.nextRunTimes.length === 0 ? (
                      <span className="text-muted-foreground">—</span>
                    ) : (
                      <ul className="grid gap-0.5" aria-label={`Next runs of ${schedule.name}`}>
                        {schedule.nextRunTimes.slice(0, NEXT_RUNS).map((time) => (
                          <li key={time} className="tabular-nums">
                            {formatDateTime(time)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </TableCell>
                  <TableCell>
                    {schedule.recentJobIds.length === 0 ? (
                      <span className="text-muted-foreground text-xs">none yet</span>
                    ) : (
                      <ul className="flex max-w-48 flex-wrap gap-x-2 gap-y-0.5" aria-label={`Recent jobs of ${schedule.name}`}>
                        {schedule.recentJobIds.slice(0, RECENT_JOBS).map((jobId) => (
                          <li key={jobId}>
                            <JobLink id={jobId} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </TableCell>
                  {canWrite && (
                    <TableCell className="text-right">
                      <ScheduleActions id={schedule.id} name={schedule.name} paused={schedule.paused} change={changeSchedule} />
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
