import "server-only";

// Runtime settings of the dashboard server, all from the environment (read per request, so one
// build runs against any orchestrator).

/** Where the dashboard server reaches the orchestrator's REST API. */
export function apiUrl(): string {
  return trimSlash(process.env.MAMOS_API_URL || "http://localhost:4000");
}

/**
 * The orchestrator as users' browsers and agents reach it (the install command shows it).
 * Differs from apiUrl() when the dashboard talks to the orchestrator over an internal network.
 */
export function publicApiUrl(): string {
  return trimSlash(process.env.MAMOS_PUBLIC_API_URL || apiUrl());
}

/**
 * Base of the live feed as the browser reaches it (ws:// or wss://, no path). Defaults to the
 * public API URL with its scheme swapped; NEXT_PUBLIC_MAMOS_WS_URL is honoured too.
 */
export function liveFeedBaseUrl(): string {
  const explicit = process.env.MAMOS_WS_URL || process.env.NEXT_PUBLIC_MAMOS_WS_URL;
  if (explicit) return trimSlash(explicit);
  return publicApiUrl().replace(/^http(s?):\/\//, "ws$1://");
}

/** Mark the session cookie Secure when the dashboard is served over HTTPS. */
export function secureCookies(requestProto: string | null): boolean {
  const setting = process.env.MAMOS_COOKIE_SECURE;
  if (setting === "true") return true;
  if (setting === "false") return false;
  return requestProto === "https";
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
