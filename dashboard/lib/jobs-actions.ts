"use server";

import { redirect, unstable_rethrow } from "next/navigation";

import { api, problemMessage } from "@/lib/api/orchestrator";
import type { Job } from "@/lib/api/types";
import { readJobRequest } from "@/lib/job-spec";

export interface NewJobState {
  error?: string;
}

/**
 * Submits a job. The form sends the request already built (JSON in "job", arguments split),
 * so what the user saw validated is exactly what is submitted; the orchestrator checks again.
 */
export async function createJob(_previous: NewJobState, form: FormData): Promise<NewJobState> {
  const read = readJobRequest(form.get("job"));
  if (read.error !== undefined) return { error: read.error };
  let job: Job;
  try {
    job = await api<Job>("/api/v1/jobs", { method: "POST", body: read.request });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  redirect(`/jobs/${job.id}`);
}

/** Asks the orchestrator to cancel a job: every running run is killed, runs not yet started never start. */
export async function cancelJob(id: string): Promise<{ error?: string }> {
  try {
    await api<Job>(`/api/v1/jobs/${encodeURIComponent(id)}/cancel`, { method: "POST" });
    return {};
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
}
