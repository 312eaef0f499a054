// Agent labels as the dashboard edits them: one line "env=prod, role=web". Keys and values
// have Kubernetes' shape, as the orchestrator's Labels class checks them (it checks again).
import type { Labels } from "@/lib/api/types";

/** 1-63 letters, digits or _ . / -, starting with a letter or digit. */
export const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_./-]{0,62}$/;
/** At most 63 letters, digits or _ . - (may be empty). */
export const LABEL_VALUE = /^[A-Za-z0-9_.-]{0,63}$/;
/** Most labels an agent may have. */
export const MAX_LABELS = 32;

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
    if (!LABEL_KEY.test(key)) {
      return { error: `"${key}" is not a valid key: use 1-63 letters, digits or _ . / -, starting with a letter or digit` };
    }
    if (!LABEL_VALUE.test(value)) {
      return { error: `"${value}" is not a valid value for ${key}: use at most 63 letters, digits or _ . -` };
    }
    if (Object.prototype.hasOwnProperty.call(labels, key)) return { error: `the key "${key}" is given twice` };
    labels[key] = value;
  }
  if (Object.keys(labels).length > MAX_LABELS) return { error: `at most ${MAX_LABELS} labels are allowed` };
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
