import { NextResponse, type NextRequest } from "next/server";

import { safeNext } from "@/lib/auth/next-path";
import { REFRESH_COOKIE, refreshSession, sessionCookies } from "@/lib/auth/refresh";

/**
 * Where a page goes when the orchestrator refused an access token that had not expired yet:
 * renew the session with the refresh token and go back, or sign in again.
 */
export async function GET(request: NextRequest) {
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  const outcome = refreshToken ? await refreshSession(refreshToken, Date.now(), request.headers.get("x-forwarded-for")) : ({ kind: "refused" } as const);
  if (outcome.kind !== "renewed") {
    return NextResponse.redirect(new URL("/login/expired", request.url));
  }
  const response = NextResponse.redirect(new URL(safeNext(request.nextUrl.searchParams.get("next")), request.url));
  for (const [name, value, options] of sessionCookies(outcome.tokens, request.headers.get("x-forwarded-proto"))) {
    response.cookies.set(name, value, options);
  }
  return response;
}
