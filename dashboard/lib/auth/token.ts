// Reads what the dashboard needs from the orchestrator's access token (a JWT): who, which
// roles, since and until when. Decoding only: the orchestrator verifies the signature on every call.
import type { Role } from "@/lib/api/types";

export interface TokenClaims {
  username: string;
  roles: Role[];
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
  /** Issue time, seconds since the epoch, when the token says. */
  issuedAt?: number;
}

const KNOWN_ROLES: Role[] = ["ADMIN", "OPERATOR", "VIEWER"];

function base64UrlDecode(segment: string): string {
  const base64 = segment.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a JWT, or null when it is not a well-formed token with sub and exp. */
export function decodeToken(token: string | undefined | null): TokenClaims | null {
  if (!token) return null;
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const payload = JSON.parse(base64UrlDecode(parts[1])) as Record<string, unknown>;
    if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return null;
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((role): role is Role => KNOWN_ROLES.includes(role as Role))
      : [];
    const claims: TokenClaims = { username: payload.sub, roles, expiresAt: payload.exp };
    if (typeof payload.iat === "number") claims.issuedAt = payload.iat;
    return claims;
  } catch {
    return null;
  }
}

/** True when the token expires within skewSeconds of now (or already has). */
export function isExpired(claims: TokenClaims, nowMillis: number = Date.now(), skewSeconds = 5): boolean {
  return claims.expiresAt - skewSeconds <= nowMillis / 1000;
}
