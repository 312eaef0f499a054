import "server-only";

import { NextResponse } from "next/server";

import { getSession } from "@/lib/auth/session";
import { ApiError, orchestratorFetch, problemMessage } from "@/lib/api/orchestrator";

/**
 * Answers a browser's GET with the orchestrator's answer to `path`, read as the signed-in user,
 * for the pages' live views (the token stays on the server). 401 when there is no session.
 */
export async function proxyGet(path: string, failTitle: string): Promise<NextResponse> {
  const session = await getSession();
  if (!session) {
    return NextResponse.json({ title: "Unauthenticated", status: 401 }, { status: 401 });
  }
  try {
    const body = await orchestratorFetch<unknown>(path, { token: session.token });
    return NextResponse.json(body, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 502;
    return NextResponse.json({ title: failTitle, detail: problemMessage(e), status }, { status });
  }
}
