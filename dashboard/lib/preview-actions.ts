"use server";

import { unstable_rethrow } from "next/navigation";

import { ApiError, api, problemMessage } from "@/lib/api/orchestrator";
import type { components } from "@/lib/api/schema";
import type { JobRequest } from "@/lib/api/types";

export type JobDryRun = components["schemas"]["JobDryRun"];
export type SchedulePreview = components["schemas"]["SchedulePreview"];

/** The orchestrator's answer to a check: what it would do, or the problem it would answer. */
export type Checked<T> = { ok: T; error?: undefined; type?: undefined } | { ok?: undefined; error: string; type?: string };

/**
 * What POST /api/v1/jobs would do with this request (POST /api/v1/jobs/dry-run: the same checks,
 * nothing written): the command as the policy resolved it and the agents the targets match now.
 */
export async function dryRunJob(request: JobRequest): Promise<Checked<JobDryRun>> {
  return checked(() => api<JobDryRun>("/api/v1/jobs/dry-run", { method: "POST", body: request }));
}

/** The next firing times of a cron, as Temporal computes them (POST /api/v1/schedules/preview). */
export async function previewCron(cron: string): Promise<Checked<SchedulePreview>> {
  return checked(() => api<SchedulePreview>("/api/v1/schedules/preview", { method: "POST", body: { cron, count: 3 } }));
}

async function checked<T>(call: () => Promise<T>): Promise<Checked<T>> {
  try {
    return { ok: await call() };
  } catch (e) {
    unstable_rethrow(e);
    const type = e instanceof ApiError ? e.problem.type?.split("/").pop() : undefined;
    return { error: problemMessage(e), type };
  }
}
