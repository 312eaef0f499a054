"use server";

import { redirect, unstable_rethrow } from "next/navigation";

import { api, problemMessage } from "@/lib/api/orchestrator";
import type { Job } from "@/lib/api/types";

export interface NewJobState {
  error?: string;
}

/**
 * Submits a job. The form sends the arguments already split (JSON array), so what the user
 * saw validated is exactly what is submitted; the orchestrator checks the policy again.
 */
export async function createJob(_previous: NewJobState, form: FormData): Promise<NewJobState> {
  const agentId = String(form.get("agentId") ?? "");
  const command = String(form.get("command") ?? "");
  const timeoutSeconds = Number(form.get("timeoutSeconds"));
  let args: unknown;
  try {
    args = JSON.parse(String(form.get("args") ?? "[]"));
  } catch {
    return { error: "The arguments could not be read." };
  }
  if (!agentId || !command) return { error: "Choose an agent and a command." };
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === "string")) {
    return { error: "The arguments could not be read." };
  }
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
    return { error: "The timeout must be a whole number of seconds." };
  }
  let job: Job;
  try {
    job = await api<Job>("/api/v1/jobs", { method: "POST", body: { agentId, command, args, timeoutSeconds } });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  redirect(`/jobs/${job.id}`);
}

/** Asks the orchestrator to cancel a job; the agent kills the process and the job ends CANCELED. */
export async function cancelJob(id: string): Promise<{ error?: string }> {
  try {
    await api<Job>(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
    return {};
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
}
