import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";

import { listAgents, listCommands } from "@/lib/api/queries";
import { targetAgents } from "@/lib/agents";
import { requireSession } from "@/lib/auth/session";
import { commandsFor } from "@/lib/policy";
import { createJob } from "@/lib/jobs-actions";
import { dryRunJob } from "@/lib/preview-actions";
import { NewJobForm } from "@/components/jobs/new-job-form";
import { Forbidden } from "@/components/layout/forbidden";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";

export const metadata: Metadata = { title: "New job" };

export default async function NewJobPage({ searchParams }: PageProps<"/jobs/new">) {
  const session = await requireSession();
  const { agent } = await searchParams;
  if (!session.permissions.runJobs) {
    return (
      <>
        <PageHeader title="New job" />
        <Forbidden>Your role ({session.roles.join(", ") || "none"}) cannot run jobs.</Forbidden>
      </>
    );
  }
  const [agents, commands] = await Promise.all([listAgents(), listCommands()]);
  return (
    <>
      <Link href="/jobs" className="text-muted-foreground inline-flex items-center gap-1 text-sm hover:underline">
        <ArrowLeft className="size-4" aria-hidden="true" /> Jobs
      </Link>
      <PageHeader
        title="New job"
        description="Run a whitelisted command on chosen agents, on the agents a label selector picks, or on all online agents. Arguments are checked against the command policy."
      />
      <Card>
        <CardContent>
          <NewJobForm
            dryRun={dryRunJob}
            agents={targetAgents(agents)}
            commands={commandsFor(commands, session.roles)}
            action={createJob}
            defaultAgentId={typeof agent === "string" ? agent : undefined}
          />
        </CardContent>
      </Card>
    </>
  );
}
