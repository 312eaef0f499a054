// Renews the session with the refresh token: used by the proxy (access token near expiry) and
// by /session/refresh (the orchestrator answered 401). The refresh token rotates on every use
// and the orchestrator revokes the whole session when a spent one is presented again, so two
// requests that race with the same cookie must share one refresh, never make two.
import { apiUrl, secureCookies } from "@/lib/config";
import { decodeToken, isExpired, type TokenClaims } from "@/lib/auth/token";

/** httpOnly cookie holding the orchestrator's access token; the browser's JS never sees it. */
export const SESSION_COOKIE = "mamos_session";
/** httpOnly cookie holding the opaque refresh token, sent only to the dashboard's own server. */
export const REFRESH_COOKIE = "mamos_refresh";

/** Renew when the access token has less than this left, so no call races its expiry. */
export const RENEW_BEFORE_SECONDS = 60;
/** How long a finished refresh is remembered for requests that still carry the old cookie. */
const SHARED_FOR_MILLIS = 30_000;

/** What the orchestrator answers to a login or a refresh. */
export interface SessionTokens {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: string;
}

export type RefreshOutcome =
  | { kind: "renewed"; tokens: SessionTokens }
  /** The orchestrator refused the refresh token (expired, revoked, reused): sign in again. */
  | { kind: "refused" }
  /** The orchestrator could not be asked: keep the cookies, try again on the next request. */
  | { kind: "unavailable" };

const inFlight = new Map<string, { at: number; outcome: Promise<RefreshOutcome> }>();

/**
 * Trades a refresh token for a new pair, once per token however many requests ask at once.
 * `forwardedFor` is the browser's X-Forwarded-For as this server received it: the orchestrator
 * counts failed refreshes per browser address when it trusts this server as a proxy.
 */
export function refreshSession(
  refreshToken: string,
  now: number = Date.now(),
  forwardedFor: string | null = null,
): Promise<RefreshOutcome> {
  for (const [token, entry] of inFlight) {
    if (now - entry.at > SHARED_FOR_MILLIS) inFlight.delete(token);
  }
  const shared = inFlight.get(refreshToken);
  if (shared) return shared.outcome;
  const outcome = callRefresh(refreshToken, forwardedFor);
  inFlight.set(refreshToken, { at: now, outcome });
  return outcome;
}

async function callRefresh(refreshToken: string, forwardedFor: string | null): Promise<RefreshOutcome> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (forwardedFor) headers["X-Forwarded-For"] = forwardedFor;
  let response: Response;
  try {
    response = await fetch(`${apiUrl()}/api/v1/auth/refresh`, {
      method: "POST",
      headers,
      body: JSON.stringify({ refreshToken }),
      cache: "no-store",
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return { kind: "unavailable" };
  }
  if (response.status === 400 || response.status === 401) return { kind: "refused" };
  if (!response.ok) return { kind: "unavailable" };
  return { kind: "renewed", tokens: (await response.json()) as SessionTokens };
}

/** True when the access token should be renewed now: missing, unreadable, expired or nearly so. */
export function needsRenewal(claims: TokenClaims | null, now: number = Date.now()): boolean {
  return !claims || isExpired(claims, now, RENEW_BEFORE_SECONDS);
}

/** A session whose access token is still accepted as it is. */
export function usableClaims(token: string | undefined): TokenClaims | null {
  const claims = decodeToken(token);
  return claims && !isExpired(claims) ? claims : null;
}

export interface SessionCookieOptions {
  httpOnly: true;
  sameSite: "lax";
  secure: boolean;
  path: "/";
  maxAge: number;
}

/** Both tokens as httpOnly cookies that live exactly as long as the tokens do. */
export function sessionCookies(
  tokens: SessionTokens,
  requestProto: string | null,
  now: number = Date.now(),
): Array<[string, string, SessionCookieOptions]> {
  const base = { httpOnly: true, sameSite: "lax", secure: secureCookies(requestProto), path: "/" } as const;
  const refreshSeconds = Math.max(0, Math.floor((Date.parse(tokens.refreshTokenExpiresAt) - now) / 1000));
  return [
    [SESSION_COOKIE, tokens.accessToken, { ...base, maxAge: tokens.expiresIn }],
    [REFRESH_COOKIE, tokens.refreshToken, { ...base, maxAge: refreshSeconds }],
  ];
}
