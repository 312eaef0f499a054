import "server-only";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";

import { decodeToken, isExpired, type TokenClaims } from "@/lib/auth/token";
import { permissionsFor, type Permissions } from "@/lib/auth/permissions";

/** httpOnly cookie holding the orchestrator's access token; the browser's JS never sees it. */
export const SESSION_COOKIE = "mamos_session";

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
