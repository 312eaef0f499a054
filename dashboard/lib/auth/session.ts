import "server-only";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";

import { PATH_HEADER } from "@/lib/auth/next-path";
import { SESSION_COOKIE } from "@/lib/auth/refresh";
import { decodeToken, isExpired, type TokenClaims } from "@/lib/auth/token";
import { permissionsFor, type Permissions } from "@/lib/auth/permissions";

export { SESSION_COOKIE };

/** A token refused this soon after it was issued is not worth another refresh. */
const FRESH_TOKEN_SECONDS = 30;

export interface Session extends TokenClaims {
  token: string;
  permissions: Permissions;
}

/** The signed-in user, or null when there is no unexpired session cookie. */
export async function getSession(): Promise<Session | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  const claims = decodeToken(token);
  if (!token || !claims || isExpired(claims)) return null;
  return { ...claims, token, permissions: permissionsFor(claims.roles) };
}

/** The session, or a redirect to the login page (which also drops a stale cookie). */
export async function requireSession(): Promise<Session> {
  const session = await getSession();
  if (!session) redirect("/login/expired");
  return session;
}

/**
 * Where to send a user whose access token the orchestrator refused (401) although it has not
 * expired (logged out elsewhere, keys changed): through /session/refresh back to this page, or
 * to the login page when the token is brand new and a refresh would only loop.
 */
export async function afterRefusedToken(session: Pick<Session, "issuedAt">, nowMillis = Date.now()): Promise<string> {
  if (session.issuedAt !== undefined && nowMillis / 1000 - session.issuedAt < FRESH_TOKEN_SECONDS) {
    return "/login/expired";
  }
  const page = (await headers()).get(PATH_HEADER) ?? "/";
  return `/session/refresh?next=${encodeURIComponent(page)}`;
}
