import { NextResponse } from "next/server";

import { getSession } from "@/lib/auth/session";
import { ApiError, orchestratorFetch, problemMessage } from "@/lib/api/orchestrator";
import { liveFeedBaseUrl } from "@/lib/config";
import type { LiveTicket } from "@/lib/api/types";

/** Trades the session's token for a one-time live-feed ticket; returns the WebSocket URL to open. */
export async function POST() {
  const session = await getSession();
  if (!session) {
    return NextResponse.json({ title: "Unauthenticated", status: 401 }, { status: 401 });
  }
  try {
    const ticket = await orchestratorFetch<LiveTicket>("/api/v1/live/tickets", {
      method: "POST",
      token: session.token,
    });
    const url = `${liveFeedBaseUrl()}${ticket.path}?ticket=${encodeURIComponent(ticket.ticket)}`;
    return NextResponse.json({ url, expiresAt: ticket.expiresAt }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    const status = e instanceof ApiError ? e.status : 502;
    return NextResponse.json({ title: "No live ticket", detail: problemMessage(e), status }, { status });
  }
}
