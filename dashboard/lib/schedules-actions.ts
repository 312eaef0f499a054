"use server";

import { revalidatePath } from "next/cache";
import { redirect, unstable_rethrow } from "next/navigation";

import { api, problemMessage } from "@/lib/api/orchestrator";
import type { Schedule } from "@/lib/api/types";
import { readJobRequest } from "@/lib/job-spec";

export interface NewScheduleState {
  error?: string;
}

/** Creates a schedule (operator or admin): a name, a cron expression and the job each firing starts. */
export async function createSchedule(_previous: NewScheduleState, form: FormData): Promise<NewScheduleState> {
  const name = String(form.get("name") ?? "").trim();
  const cron = String(form.get("cron") ?? "").trim();
  // Name and cron are checked by the orchestrator (and Temporal), which answers what is wrong.
  const read = readJobRequest(form.get("job"));
  if (read.error !== undefined) return { error: read.error };
  try {
    await api<Schedule>("/api/v1/schedules", { method: "POST", body: { name, cron, job: read.request } });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath("/schedules");
  redirect("/schedules");
}

export type ScheduleAction = "pause" | "resume" | "trigger" | "delete";
const SCHEDULE_ACTIONS: ScheduleAction[] = ["pause", "resume", "trigger", "delete"];

/** Pauses, resumes, fires now or deletes a schedule; returns the orchestrator's refusal, if any. */
export async function changeSchedule(id: string, action: ScheduleAction): Promise<{ error?: string }> {
  if (!SCHEDULE_ACTIONS.includes(action)) return { error: `Unknown action ${String(action)}.` };
  const path = `/api/v1/schedules/${encodeURIComponent(id)}`;
  try {
    if (action === "delete") await api<void>(path, { method: "DELETE" });
    else await api<unknown>(`${path}/${action}`, { method: "POST" });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath("/schedules");
  return {};
}
