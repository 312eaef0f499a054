"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";

import { api, problemMessage } from "@/lib/api/orchestrator";
import type { Agent } from "@/lib/api/types";

/** Takes an agent out of service for good (admin; the orchestrator enforces it). */
export async function decommissionAgent(id: string): Promise<{ error?: string }> {
  try {
    await api<Agent>(`/api/v1/agents/${encodeURIComponent(id)}/decommission`, { method: "POST" });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath(`/agents/${id}`);
  return {};
}
