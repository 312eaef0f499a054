// The command policy as the forms show it: splitting an argument line, and describing the rules
// the orchestrator publishes (GET /api/v1/commands). Checking arguments against those rules is
// the orchestrator's alone (the forms ask POST /api/v1/jobs/dry-run).
import type { ArgumentRule, CommandList, CommandRule, Role } from "@/lib/api/types";

/**
 * Splits an argument line like a shell would for plain words and quotes, without expanding
 * anything: `hello "big world" 'x y'` -> ["hello", "big world", "x y"].
 * Returns an error for an unterminated quote.
 */
export function parseArgs(line: string): { args: string[]; error?: string } {
  const args: string[] = [];
  let current = "";
  let inToken = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) {
        quote = null;
      } else if (c === "\\" && quote === '"' && (line[i + 1] === '"' || line[i + 1] === "\\")) {
        current += line[++i];
      } else {
        current += c;
      }
    } else if (c === '"' || c === "'") {
      quote = c;
      inToken = true;
    } else if (c === "\\" && i + 1 < line.length) {
      current += line[++i];
      inToken = true;
    } else if (/\s/.test(c)) {
      if (inToken) args.push(current);
      current = "";
      inToken = false;
    } else {
      current += c;
      inToken = true;
    }
  }
  if (quote) return { args: [], error: `unterminated ${quote} quote` };
  if (inToken) args.push(current);
  return { args };
}

/**
 * The rule argument `index` (0-based) must follow, or null when it is unchecked: the positional
 * rule, else `rest`; from an orchestrator without per-argument rules, the uniform pattern/prefixes.
 */
export function argumentRuleFor(rule: CommandRule, index: number): ArgumentRule | null {
  if (rule.args !== undefined) return index < rule.args.length ? rule.args[index] : (rule.rest ?? null);
  if (!rule.argPattern && rule.pathPrefixes.length === 0) return null;
  return { name: null, enum: [], pattern: rule.argPattern, pathPrefix: rule.pathPrefixes };
}

/** The longest timeout a job of this command may ask for. */
export function maxTimeoutFor(rule: CommandRule | undefined, policyMax: number): number {
  return rule?.maxTimeoutSeconds ?? policyMax;
}

/** A one-line summary of what a command accepts, shown under the command select. */
export function describeArgs(rule: CommandRule): string {
  if (rule.maxArgs === 0) return "Takes no arguments.";
  const count =
    rule.minArgs === rule.maxArgs
      ? `Exactly ${rule.maxArgs} argument${rule.maxArgs === 1 ? "" : "s"}`
      : `${rule.minArgs} to ${rule.maxArgs} arguments`;
  const positional = (rule.args ?? []).map((arg, index) => `${arg.name ?? `argument ${index + 1}`}${describeRule(arg)}`);
  const rest = rule.args !== undefined ? rule.rest : argumentRuleFor(rule, 0);
  const parts = [...positional];
  if (rest && (rule.args?.length ?? 0) < rule.maxArgs) {
    parts.push(`${positional.length > 0 ? "then " : ""}each${rest.name ? ` ${rest.name}` : ""}${describeRule(rest)}`);
  }
  return parts.length > 0 ? `${count}: ${parts.join("; ")}.` : `${count}.`;
}

function describeRule(rule: ArgumentRule): string {
  if (rule.enum.length > 0) return ` one of ${rule.enum.join(", ")}`;
  if (rule.pattern) return ` matching ${rule.pattern}`;
  if (rule.pathPrefix.length > 0) return ` one of ${rule.pathPrefix.join(", ")}`;
  return "";
}

/** The commands these roles may run (all, from an orchestrator whose policy names no roles). */
export function commandsFor(list: CommandList, roles: readonly Role[]): CommandList {
  return { ...list, items: list.items.filter((rule) => !rule.roles || rule.roles.some((role) => roles.includes(role))) };
}
