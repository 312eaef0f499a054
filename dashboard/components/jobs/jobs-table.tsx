import Link from "next/link";

import type { Job } from "@/lib/api/types";
import { formatDuration } from "@/lib/format";
import { describeTargets } from "@/lib/job-spec";
import { TimeAgo } from "@/components/common/time-ago";
import { commandLine, JobLink } from "@/components/jobs/job-link";
import { RunSummaryBar } from "@/components/jobs/run-summary";
import { JobStateBadge } from "@/components/status/status-badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export function JobsTable({
  jobs,
  hostnames,
  renderedAt,
  empty = "No jobs.",
}: {
  jobs: Job[];
  hostnames: Map<string, string>;
  renderedAt: number;
  empty?: string;
}) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Job</TableHead>
          <TableHead>Command</TableHead>
          <TableHead>Targets</TableHead>
          <TableHead>State</TableHead>
          <TableHead>Runs</TableHead>
          <TableHead className="text-right">Exit</TableHead>
          <TableHead className="text-right">Duration</TableHead>
          <TableHead>Created</TableHead>
          <TableHead>By</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {jobs.length === 0 && (
          <TableRow>
            <TableCell colSpan={9} className="text-muted-foreground py-6 text-center">
              {empty}
            </TableCell>
          </TableRow>
        )}
        {jobs.map((job) => (
          <TableRow key={job.id} data-job-id={job.id}>
            <TableCell>
              <JobLink id={job.id} />
            </TableCell>
            <TableCell className="max-w-72 truncate font-mono text-xs" title={commandLine(job.command, job.args)}>
              {commandLine(job.command, job.args)}
            </TableCell>
            <TableCell className="max-w-56 truncate" title={describeTargets(job.targets, hostnames)}>
              <JobTarget job={job} hostnames={hostnames} />
            </TableCell>
            <TableCell>
              <JobStateBadge state={job.state} />
            </TableCell>
            <TableCell>
              <RunSummaryBar summary={job.summary} runCount={job.runCount ?? 1} />
            </TableCell>
            <TableCell className="text-right tabular-nums">{job.exitCode ?? "—"}</TableCell>
            <TableCell className="text-right tabular-nums">{formatDuration(job.durationMillis)}</TableCell>
            <TableCell>
              <TimeAgo iso={job.createdAt} renderedAt={renderedAt} />
            </TableCell>
            <TableCell>{job.createdBy ?? "—"}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** A single-run job's agent (linked), else what the job targeted. */
export function JobTarget({ job, hostnames }: { job: Pick<Job, "agentId" | "targets" | "runCount">; hostnames: Map<string, string> }) {
  const single = job.agentId && (job.runCount ?? 1) <= 1 && !job.targets?.selector && !job.targets?.all;
  if (single) {
    return (
      <Link href={`/agents/${job.agentId}`} className="underline-offset-4 hover:underline">
        {hostnames.get(job.agentId!) ?? job.agentId!.slice(0, 8)}
      </Link>
    );
  }
  const text = describeTargets(job.targets, hostnames);
  return job.targets?.selector ? <code className="font-mono text-xs">{text}</code> : <span>{text}</span>;
}
