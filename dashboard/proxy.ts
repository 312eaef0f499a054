// Runs before every page and dashboard API route (Next.js 16 renamed middleware to proxy).
// Keeps the session alive: an access token that is missing or close to expiry is renewed with
// the refresh token, and the new pair is both stored in the browser and handed to this request.
// Without a usable session the user is sent to /login. The orchestrator still checks the token
// on every API call.
import { NextResponse, type NextRequest } from "next/server";

import { PATH_HEADER } from "@/lib/auth/next-path";
import {
  needsRenewal,
  REFRESH_COOKIE,
  refreshSession,
  SESSION_COOKIE,
  sessionCookies,
  usableClaims,
  type SessionTokens,
} from "@/lib/auth/refresh";
import { decodeToken } from "@/lib/auth/token";

export async function proxy(request: NextRequest) {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  const refreshToken = request.cookies.get(REFRESH_COOKIE)?.value;
  if (!needsRenewal(decodeToken(token))) return proceed(request);

  let refused = false;
  if (refreshToken) {
    const outcome = await refreshSession(refreshToken, Date.now(), request.headers.get("x-forwarded-for"));
    if (outcome.kind === "renewed") return proceed(request, outcome.tokens);
    refused = outcome.kind === "refused";
  }
  // Renewal failed or was impossible, but the token still has a little life: use it.
  if (usableClaims(token)) return proceed(request);
  return unauthenticated(request, { dropToken: Boolean(token), dropRefresh: refused });
}

/** Lets the request through, with renewed tokens when there are some. */
function proceed(request: NextRequest, renewed?: SessionTokens) {
  const { pathname, search } = request.nextUrl;
  const cookies = renewed ? sessionCookies(renewed, request.headers.get("x-forwarded-proto")) : [];
  for (const [name, value] of cookies) request.cookies.set(name, value);
  const headers = new Headers(request.headers);
  headers.set(PATH_HEADER, pathname + search);
  const response = NextResponse.next({ request: { headers } });
  for (const [name, value, options] of cookies) response.cookies.set(name, value, options);
  return response;
}

function unauthenticated(request: NextRequest, drop: { dropToken: boolean; dropRefresh: boolean }) {
  const { pathname, search } = request.nextUrl;
  let response: NextResponse;
  if (pathname.startsWith("/api/")) {
    response = NextResponse.json(
      { title: "Unauthenticated", status: 401, detail: "sign in first" },
      { status: 401, headers: { "Content-Type": "application/problem+json" } },
    );
  } else {
    const login = new URL("/login", request.url);
    if (pathname !== "/") login.searchParams.set("next", pathname + search);
    response = NextResponse.redirect(login);
  }
  if (drop.dropToken) response.cookies.delete(SESSION_COOKIE);
  if (drop.dropRefresh) response.cookies.delete(REFRESH_COOKIE);
  return response;
}

export const config = {
  // Everything but the login page, Next.js assets and the icon.
  matcher: ["/((?!login|_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
