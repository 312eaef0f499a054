"use client";

import { useMemo, useState } from "react";
import Link from "next/link";
import { Search } from "lucide-react";

import { agentSearchText, primaryDisk } from "@/lib/agents";
import { AGENT_STATUSES, type Agent, type AgentStatus } from "@/lib/api/types";
import { formatBytes, ratio } from "@/lib/format";
import { LabelChips } from "@/components/agents/label-chips";
import { TimeAgo } from "@/components/common/time-ago";
import { UsageBar } from "@/components/common/usage-bar";
import { AgentStatusBadge, stateLabel } from "@/components/status/status-badge";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export function AgentsTable({
  agents,
  renderedAt,
  initialStatus = "",
}: {
  agents: Agent[];
  renderedAt: number;
  initialStatus?: AgentStatus | "";
}) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<AgentStatus | "">(initialStatus);
  const visible = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return agents.filter(
      (agent) =>
        (!status || agent.status === status) &&
        words.every((word) => agentSearchText(agent).includes(word)),
    );
  }, [agents, query, status]);

  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-end gap-4" role="search">
        <div className="grid gap-2">
          <Label htmlFor="agent-search">Search</Label>
          <div className="relative">
            <Search className="text-muted-foreground absolute top-1/2 left-2.5 size-4 -translate-y-1/2" aria-hidden="true" />
            <Input
              id="agent-search"
              type="search"
              placeholder="Hostname, OS, label, id…"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              className="w-64 pl-8"
            />
          </div>
        </div>
        <div className="grid gap-2">
          <Label htmlFor="agent-status">Status</Label>
          <NativeSelect
            id="agent-status"
            value={status}
            onChange={(event) => setStatus(event.target.value as AgentStatus | "")}
          >
            <NativeSelectOption value="">All</NativeSelectOption>
            {AGENT_STATUSES.map((value) => (
              <NativeSelectOption key={value} value={value}>
                {stateLabel(value)}
              </NativeSelectOption>
            ))}
          </NativeSelect>
        </div>
        <p className="text-muted-foreground pb-2 text-sm" aria-live="polite">
          {visible.length} of {agents.length} agents
        </p>
      </div>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Hostname</TableHead>
            <TableHead>OS</TableHead>
            <TableHead>Status</TableHead>
            <TableHead>Labels</TableHead>
            <TableHead>CPU</TableHead>
            <TableHead>RAM</TableHead>
            <TableHead>Disk</TableHead>
            <TableHead>Last seen</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {visible.length === 0 && (
            <TableRow>
              <TableCell colSpan={8} className="text-muted-foreground py-6 text-center">
                No agents match.
              </TableCell>
            </TableRow>
          )}
          {visible.map((agent) => {
            const snapshot = agent.snapshot;
            const disk = primaryDisk(snapshot?.disks);
            return (
              <TableRow key={agent.id} data-agent-id={agent.id}>
                <TableCell className="font-medium">
                  <Link href={`/agents/${agent.id}`} className="underline-offset-4 hover:underline">
                    {agent.hostname}
                  </Link>
                </TableCell>
                <TableCell
                  className="max-w-56 truncate"
                  title={`${agent.os}${snapshot?.osVersion ? ` ${snapshot.osVersion}` : ""}`}
                >
                  {agent.os}
                  {snapshot?.osVersion ? ` ${snapshot.osVersion}` : ""}
                </TableCell>
                <TableCell>
                  <AgentStatusBadge status={agent.status} />
                </TableCell>
                <TableCell className="whitespace-normal">
                  <LabelChips labels={agent.labels} className="max-w-48" />
                </TableCell>
                <TableCell>
                  <UsageBar
                    label={`CPU of ${agent.hostname}`}
                    value={snapshot?.cpuUsage ?? null}
                    detail={snapshot ? `${snapshot.cpuCount} CPUs, load ${snapshot.loadAverage1m.toFixed(2)}` : undefined}
                  />
                </TableCell>
                <TableCell>
                  <UsageBar
                    label={`Memory of ${agent.hostname}`}
                    value={ratio(snapshot?.memoryUsedBytes, snapshot?.memoryTotalBytes)}
                    detail={
                      snapshot
                        ? `${formatBytes(snapshot.memoryUsedBytes)} of ${formatBytes(snapshot.memoryTotalBytes)}`
                        : undefined
                    }
                  />
                </TableCell>
                <TableCell>
                  <UsageBar
                    label={`Disk of ${agent.hostname}`}
                    value={ratio(disk?.usedBytes, disk?.totalBytes)}
                    detail={disk ? `${formatBytes(disk.usedBytes)} of ${formatBytes(disk.totalBytes)}` : undefined}
                  />
                </TableCell>
                <TableCell>
                  <TimeAgo iso={agent.lastSeenAt} renderedAt={renderedAt} />
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
