import { NextResponse } from "next/server";

import { getSession } from "@/lib/auth/session";
import { ApiError, orchestratorFetch, problemMessage } from "@/lib/api/orchestrator";
import type { Job } from "@/lib/api/types";

/** One job as JSON, for the job page's live view (it re-reads the job on every change). */
export async function GET(_request: Request, { params }: RouteContext<"/api/jobs/[id]">) {
  const session = await getSession();
  if (!session) {
    return NextResponse.json({ title: "Unauthenticated", status: 401 }, { status: 401 });
  }
  const { id } = await params;
  try {
    const job = await orchestratorFetch<Job>(`/api/v1/jobs/${encodeURIComponent(id)}`, {
      token: session.token,
    });
    return NextResponse.json(job, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 502;
    return NextResponse.json({ title: "Cannot read the job", detail: problemMessage(e), status }, { status });
  }
}
