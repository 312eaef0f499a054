import { NextResponse, type NextRequest } from "next/server";

import { REFRESH_COOKIE, SESSION_COOKIE } from "@/lib/auth/refresh";

/** Where pages send a user whose session cannot be renewed: drop its cookies, then sign in again. */
export function GET(request: NextRequest) {
  const response = NextResponse.redirect(new URL("/login?expired=1", request.url));
  response.cookies.delete(SESSION_COOKIE);
  response.cookies.delete(REFRESH_COOKIE);
  return response;
}
