"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";

import { api, problemMessage } from "@/lib/api/orchestrator";
import type { EnrollmentTokenCreated } from "@/lib/api/types";
import { publicApiUrl } from "@/lib/config";
import { parseLabels } from "@/lib/labels";

export interface CreateTokenState {
  error?: string;
  created?: EnrollmentTokenCreated & { installCommand: string };
}

/** The orchestrator accepts 1 minute to 30 days. */
const MIN_TTL = 60;
const MAX_TTL = 30 * 24 * 3600;

/**
 * Creates a one-time enrollment token (admin), optionally with labels the enrolled agent gets.
 * Its secret is returned here once and never again.
 */
export async function createEnrollmentToken(_previous: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const ttlSeconds = Number(form.get("ttlSeconds"));
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < MIN_TTL || ttlSeconds > MAX_TTL) {
    return { error: "Choose a lifetime between one minute and 30 days." };
  }
  const labels = parseLabels(String(form.get("labels") ?? ""));
  if (labels.error !== undefined) return { error: `Labels: ${labels.error}.` };
  const body = Object.keys(labels.labels).length > 0 ? { ttlSeconds, labels: labels.labels } : { ttlSeconds };
  let created: EnrollmentTokenCreated;
  try {
    created = await api<EnrollmentTokenCreated>("/api/v1/enrollment-tokens", { method: "POST", body });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath("/enrollment");
  return { created: { ...created, installCommand: installCommand(publicApiUrl(), created.token) } };
}

/**
 * Revokes an unused enrollment token (admin). The orchestrator answers 409 when the token was
 * used or is already revoked, 404 when it does not know it; its problem detail is returned.
 */
export async function revokeEnrollmentToken(id: string): Promise<{ error?: string }> {
  try {
    await api<void>(`/api/v1/enrollment-tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath("/enrollment");
  return {};
}

/** What to run on the new agent's machine: enroll with the token, then start the worker. */
function installCommand(server: string, token: string): string {
  return `java -jar mamos-agent.jar enroll --server ${server} --token ${token} && java -jar mamos-agent.jar run`;
}
