// Formatting of sizes, ratios, durations and times for display.

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 1536 -> "1.5 KiB". Binary units, as the agents report sizes from the OS. */
export function formatBytes(bytes: number | null | undefined, fractionDigits = 1): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  return `${value.toFixed(fractionDigits)} ${BYTE_UNITS[unit]}`;
}

/** 0.4215 -> "42%". */
export function formatPercent(ratio: number | null | undefined, fractionDigits = 0): string {
  if (ratio == null || !Number.isFinite(ratio)) return "—";
  return `${(ratio * 100).toFixed(fractionDigits)}%`;
}

/** used/total as a ratio, or null when total is unknown. */
export function ratio(used: number | null | undefined, total: number | null | undefined): number | null {
  if (used == null || total == null || total <= 0) return null;
  return used / total;
}

/** 83_000 -> "1m 23s"; 950 -> "950 ms". */
export function formatDuration(millis: number | null | undefined): string {
  if (millis == null || !Number.isFinite(millis) || millis < 0) return "—";
  if (millis < 1000) return `${Math.round(millis)} ms`;
  const totalSeconds = Math.floor(millis / 1000);
  const days = Math.floor(totalSeconds / 86400);
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${(millis / 1000).toFixed(millis < 10_000 ? 1 : 0)} s`;
}

/** "12s ago", "3m ago", "in 5m"; the full date for anything older than a week. */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "never";
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return "—";
  const diff = Math.round((now - then) / 1000);
  const abs = Math.abs(diff);
  const suffix = (text: string) => (diff >= 0 ? `${text} ago` : `in ${text}`);
  if (abs < 5) return "just now";
  if (abs < 60) return suffix(`${abs}s`);
  if (abs < 3600) return suffix(`${Math.floor(abs / 60)}m`);
  if (abs < 86400) return suffix(`${Math.floor(abs / 3600)}h`);
  if (abs < 7 * 86400) return suffix(`${Math.floor(abs / 86400)}d`);
  return formatDateTime(iso);
}

/** ISO-8601 -> "2026-11-25 03:04:05 UTC": the same text on the server and in the browser. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
