import type { Metadata } from "next";
import Link from "next/link";
import { ArrowLeft } from "lucide-react";

import { listAgents, listCommands } from "@/lib/api/queries";
import { targetAgents } from "@/lib/agents";
import { requireSession } from "@/lib/auth/session";
import { commandsFor } from "@/lib/policy";
import { createSchedule } from "@/lib/schedules-actions";
import { dryRunJob, previewCron } from "@/lib/preview-actions";
import { Forbidden } from "@/components/layout/forbidden";
import { PageHeader } from "@/components/layout/page-header";
import { ScheduleForm } from "@/components/schedules/schedule-form";
import { Card, CardContent } from "@/components/ui/card";

export const metadata: Metadata = { title: "New schedule" };

export default async function NewSchedulePage() {
  const session = await requireSession();
  if (!session.permissions.runJobs) {
    return (
      <>
        <PageHeader title="New schedule" />
        <Forbidden>Your role ({session.roles.join(", ") || "none"}) cannot create schedules.</Forbidden>
      </>
    );
  }
  const [agents, commands] = await Promise.all([listAgents(), listCommands()]);
  return (
    <>
      <Link href="/schedules" className="text-muted-foreground inline-flex items-center gap-1 text-sm hover:underline">
        <ArrowLeft className="size-4" aria-hidden="true" /> Schedules
      </Link>
      <PageHeader
        title="New schedule"
        description="A job that starts on a cron expression. Selectors and “all online agents” are resolved at each firing."
      />
      <Card>
        <CardContent>
          <ScheduleForm agents={targetAgents(agents)} commands={commandsFor(commands, session.roles)} action={createSchedule}
            dryRun={dryRunJob}
            previewCron={previewCron}
          />
        </CardContent>
      </Card>
    </>
  );
}
