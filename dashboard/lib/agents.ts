import type { Agent, DiskUsage, SystemSnapshot } from "@/lib/api/types";

/** The disk to summarise an agent by: its root file system, else all its disks added up. */
export function primaryDisk(disks: DiskUsage[] | null | undefined): { usedBytes: number; totalBytes: number } | null {
  if (!disks || disks.length === 0) return null;
  const root = disks.find((disk) => disk.mount === "/");
  if (root) return { usedBytes: root.usedBytes, totalBytes: root.totalBytes };
  return disks.reduce(
    (sum, disk) => ({ usedBytes: sum.usedBytes + disk.usedBytes, totalBytes: sum.totalBytes + disk.totalBytes }),
    { usedBytes: 0, totalBytes: 0 },
  );
}

/** Text an agent is found by in the search box. */
export function agentSearchText(agent: {
  id: string;
  hostname: string;
  os: string;
  snapshot: SystemSnapshot | null;
  labels?: Agent["labels"] | null;
}): string {
  const labels = Object.entries(agent.labels ?? {}).map(([key, value]) => `${key}=${value}`);
  return [agent.id, agent.hostname, agent.os, agent.snapshot?.osVersion ?? "", agent.snapshot?.cpuModel ?? "", ...labels]
    .join(" ")
    .toLowerCase();
}

/** Agents a job can target (not decommissioned), with what the job forms need of them. */
export function targetAgents(agents: Agent[]): Pick<Agent, "id" | "hostname" | "status" | "labels">[] {
  return agents
    .filter((agent) => agent.status !== "DECOMMISSIONED")
    .map(({ id, hostname, status, labels }) => ({ id, hostname, status, labels: labels ?? {} }));
}
