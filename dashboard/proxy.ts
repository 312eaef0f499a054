// Sends anyone without an unexpired session to /login before a page renders. (Next.js 16
// renamed middleware to proxy.) The orchestrator still checks the token on every API call.
import { NextResponse, type NextRequest } from "next/server";

import { decodeToken, isExpired } from "@/lib/auth/token";

const SESSION_COOKIE = "mamos_session";

export function proxy(request: NextRequest) {
  const token = request.cookies.get(SESSION_COOKIE)?.value;
  const claims = decodeToken(token);
  if (claims && !isExpired(claims)) return NextResponse.next();

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
  if (token) response.cookies.delete(SESSION_COOKIE);
  return response;
}

export const config = {
  // Everything but the login page, Next.js assets and the icon.
  matcher: ["/((?!login|_next/static|_next/image|icon.svg|favicon.ico).*)"],
};
