// Agent labels as the dashboard edits them: one line "env=prod, role=web". Keys and values
// are words a label selector can name (no spaces, commas, =, !, parentheses); the orchestrator
// checks them again when it stores them.
import type { Labels } from "@/lib/api/types";

/** The characters of a label key or value. */
const WORD = /^[^\s,=!()]+$/;
/** Longest key or value the form accepts. */
export const MAX_LABEL_LENGTH = 63;

/** "env=prod, role=web" -> {env: "prod", role: "web"}; an empty line is no labels. */
export function parseLabels(text: string): { labels: Labels; error?: undefined } | { labels?: undefined; error: string } {
  const labels: Labels = {};
  const entries = text.split(",").map((entry) => entry.trim());
  if (entries.length === 1 && entries[0] === "") return { labels };
  for (const entry of entries) {
    if (entry === "") return { error: "there is an empty entry between commas" };
    const eq = entry.indexOf("=");
    if (eq < 0) return { error: `"${entry}" has no value: write key=value` };
    const key = entry.slice(0, eq).trim();
    const value = entry.slice(eq + 1).trim();
    for (const [what, word] of [
      ["key", key],
      ["value", value],
    ] as const) {
      if (!WORD.test(word)) {
        return { error: `"${entry}": the ${what} must be a word without spaces, commas, =, ! or parentheses` };
      }
      if (word.length > MAX_LABEL_LENGTH) return { error: `"${entry}": the ${what} is longer than ${MAX_LABEL_LENGTH} characters` };
    }
    if (Object.prototype.hasOwnProperty.call(labels, key)) return { error: `the key "${key}" is given twice` };
    labels[key] = value;
  }
  return { labels };
}

/** {env: "prod", role: "web"} -> "env=prod, role=web" (keys sorted). */
export function formatLabels(labels: Labels | null | undefined): string {
  return labelEntries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
}

/** The labels as [key, value] pairs sorted by key. */
export function labelEntries(labels: Labels | null | undefined): [string, string][] {
  return Object.entries(labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
}
