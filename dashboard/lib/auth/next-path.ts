/** Request header the proxy sets to the page being rendered, so a refused call can come back to it. */
export const PATH_HEADER = "x-mamos-path";

/** Only same-site paths: an open redirect through ?next= would be a phishing aid. */
export function safeNext(value: unknown): string {
  const next = typeof value === "string" ? value : "";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}
