import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ArrowLeft } from "lucide-react";

import { ApiError } from "@/lib/api/orchestrator";
import { getJob, listAgents, settle } from "@/lib/api/queries";
import type { Job } from "@/lib/api/types";
import { requireSession } from "@/lib/auth/session";
import { cancelJob } from "@/lib/jobs-actions";
import { JobDetail } from "@/components/jobs/job-detail";

export const metadata: Metadata = { title: "Job" };

export default async function JobPage({ params }: PageProps<"/jobs/[id]">) {
  const { id } = await params;
  const session = await requireSession();
  let job: Job;
  try {
    job = await getJob(id);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) notFound();
    throw e;
  }
  const agents = await settle(listAgents());
  const hostnames = Object.fromEntries((agents.value ?? []).map((agent) => [agent.id, agent.hostname]));
  return (
    <>
      <Link href="/jobs" className="text-muted-foreground inline-flex items-center gap-1 text-sm hover:underline">
        <ArrowLeft className="size-4" aria-hidden="true" /> Jobs
      </Link>
      {/* key: a new job id starts with fresh state */}
      <JobDetail
        key={job.id}
        initialJob={job}
        hostnames={hostnames}
        permissions={{ cancelJobs: session.permissions.cancelJobs }}
        cancel={cancelJob}
      />
    </>
  );
}
