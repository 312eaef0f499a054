import type { Metadata } from "next";

import { listAgents, settle } from "@/lib/api/queries";
import { AGENT_STATUSES, type AgentStatus } from "@/lib/api/types";
import { AgentsTable } from "@/components/agents/agents-table";
import { ErrorAlert } from "@/components/layout/error-alert";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent } from "@/components/ui/card";

export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({ searchParams }: PageProps<"/agents">) {
  const { status } = await searchParams;
  const initialStatus = AGENT_STATUSES.includes(status as AgentStatus) ? (status as AgentStatus) : "";
  const agents = await settle(listAgents());
  return (
    <>
      <LiveRefresh types={["agent"]} />
      <PageHeader title="Agents" description="Enrolled machines, their state and their latest heartbeat." />
      {agents.error && <ErrorAlert title="Cannot read agents" message={agents.error} />}
      <Card>
        <CardContent>
          {/* The server's clock, so relative times render the same on server and client. */}
          {/* eslint-disable-next-line react-hooks/purity -- a server component renders once per request */}
          <AgentsTable agents={agents.value ?? []} renderedAt={Date.now()} initialStatus={initialStatus} />
        </CardContent>
      </Card>
    </>
  );
}
