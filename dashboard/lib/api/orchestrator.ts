import "server-only";

import { headers as requestHeaders } from "next/headers";
import { redirect } from "next/navigation";

import { apiUrl } from "@/lib/config";
import { afterRefusedToken, requireSession } from "@/lib/auth/session";
import type { Problem } from "@/lib/api/types";

/** An orchestrator answer other than 2xx, with its problem details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title || `orchestrator answered ${status}`);
    this.name = "ApiError";
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  token?: string | null;
  timeoutMs?: number;
}

/** One call to the orchestrator. Throws ApiError on a non-2xx answer. */
export async function orchestratorFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const forwardedFor = await browserForwardedFor();
  if (forwardedFor) headers["X-Forwarded-For"] = forwardedFor;
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}${path}`, {
      method: options.method ?? "GET",
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: "no-store",
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (e) {
    throw new ApiError(503, {
      title: "Orchestrator unreachable",
      detail: `cannot reach the orchestrator at ${apiUrl()}: ${(e as Error).message}`,
      status: 503,
    });
  }
  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * The browser's address chain as this server received it (Next.js sets X-Forwarded-For to the
 * socket's peer when the request has none). The orchestrator reads it only from a trusted proxy
 * (mamos.http.trusted-proxies), so its login limits count each browser, not this server.
 * Outside a request (nothing to forward) there is none.
 */
async function browserForwardedFor(): Promise<string | null> {
  try {
    return (await requestHeaders()).get("x-forwarded-for");
  } catch {
    return null;
  }
}

async function readProblem(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Problem;
    return { status: response.status, ...body };
  } catch {
    return { status: response.status, title: response.statusText };
  }
}

/**
 * A call as the signed-in user. A 401 means the orchestrator no longer accepts the token
 * (revoked, or the orchestrator's keys changed): the session is refreshed, or the user signs in again.
 */
export async function api<T>(path: string, options: Omit<RequestOptions, "token"> = {}): Promise<T> {
  const session = await requireSession();
  try {
    return await orchestratorFetch<T>(path, { ...options, token: session.token });
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) redirect(await afterRefusedToken(session));
    throw e;
  }
}

/** The problem's message for a user, from an ApiError or anything else thrown. */
export function problemMessage(e: unknown): string {
  if (e instanceof ApiError) {
    const { title, detail } = e.problem;
    return detail ? (title ? `${title}: ${detail}` : detail) : title || e.message;
  }
  return e instanceof Error ? e.message : String(e);
}
