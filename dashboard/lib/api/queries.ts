import "server-only";

import { unstable_rethrow } from "next/navigation";

import { api, orchestratorFetch, problemMessage } from "@/lib/api/orchestrator";
import type {
  Agent,
  AgentMetricSample,
  AuditEvent,
  ClientConfig,
  CommandList,
  EnrollmentToken,
  Job,
  Page,
  Schedule,
  User,
} from "@/lib/api/types";

// The reads the pages make, one function per orchestrator resource.

export async function listAgents(): Promise<Agent[]> {
  return (await api<{ items: Agent[] }>("/api/v1/agents")).items;
}

export function getAgent(id: string): Promise<Agent> {
  return api<Agent>(`/api/v1/agents/${encodeURIComponent(id)}`);
}

export async function agentMetrics(id: string, from: Date, to: Date): Promise<AgentMetricSample[]> {
  const query = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
  return (
    await api<{ items: AgentMetricSample[] }>(`/api/v1/agents/${encodeURIComponent(id)}/metrics?${query}`)
  ).items;
}

export function listJobs(page: number, size: number): Promise<Page<Job>> {
  return api<Page<Job>>(`/api/v1/jobs?page=${page}&size=${size}`);
}

export function getJob(id: string): Promise<Job> {
  return api<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`);
}

export async function listSchedules(): Promise<Schedule[]> {
  return (await api<{ items: Schedule[] }>("/api/v1/schedules")).items;
}

export function listCommands(): Promise<CommandList> {
  return api<CommandList>("/api/v1/commands");
}

export async function listEnrollmentTokens(): Promise<EnrollmentToken[]> {
  return (await api<{ items: EnrollmentToken[] }>("/api/v1/enrollment-tokens")).items;
}

export async function listUsers(): Promise<User[]> {
  return (await api<{ items: User[] }>("/api/v1/users")).items;
}

export function listAudit(page: number, size: number): Promise<Page<AuditEvent>> {
  return api<Page<AuditEvent>>(`/api/v1/audit?page=${page}&size=${size}`);
}

export function clientConfig(): Promise<ClientConfig> {
  return api<ClientConfig>("/api/v1/config");
}

export interface Health {
  status: string;
  latencyMs: number;
}

/** The orchestrator's /health (no auth); its status includes the store's (DataSource) check. */
export async function orchestratorHealth(): Promise<Health> {
  const started = Date.now();
  try {
    const body = await orchestratorFetch<{ status: string }>("/health", { timeoutMs: 3000 });
    return { status: body.status, latencyMs: Date.now() - started };
  } catch {
    return { status: "DOWN", latencyMs: Date.now() - started };
  }
}

/** Settled value or the error's message, so one failed read does not blank a whole page. */
export async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: string }> {
  try {
    return { value: await promise };
  } catch (e) {
    unstable_rethrow(e); // Next.js signals redirects by throwing; those must propagate
    return { error: problemMessage(e) };
  }
}
