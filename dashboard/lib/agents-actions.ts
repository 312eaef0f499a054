"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";

import { api, problemMessage } from "@/lib/api/orchestrator";
import type { Agent, Labels } from "@/lib/api/types";
import { formatLabels, parseLabels } from "@/lib/labels";

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

/** Replaces an agent's labels (admin; the orchestrator enforces it and checks them again). */
export async function setAgentLabels(id: string, labels: Labels): Promise<{ error?: string }> {
  // A server action is callable with anything: check the shape before sending it on.
  const checked = parseLabels(formatLabels(labels));
  if (typeof labels !== "object" || labels === null || checked.error !== undefined) {
    return { error: `The labels could not be read${checked.error ? `: ${checked.error}` : ""}.` };
  }
  try {
    await api<Agent>(`/api/v1/agents/${encodeURIComponent(id)}/labels`, { method: "PUT", body: { labels: checked.labels } });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath(`/agents/${id}`);
  revalidatePath("/agents");
  return {};
}
