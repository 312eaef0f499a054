import type { DiskUsage, SystemSnapshot } from "@/lib/api/types";

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
export function agentSearchText(agent: { id: string; hostname: string; os: string; snapshot: SystemSnapshot | null }): string {
  return [agent.id, agent.hostname, agent.os, agent.snapshot?.osVersion ?? "", agent.snapshot?.cpuModel ?? ""]
    .join(" ")
    .toLowerCase();
}
