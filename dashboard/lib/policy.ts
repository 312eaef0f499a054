// Client-side mirror of the orchestrator's CommandPolicy checks, so the new-job form can say
// what is wrong before submitting. The orchestrator checks again and stays authoritative.
import type { ArgumentRule, CommandList, CommandRule, Role } from "@/lib/api/types";

/** Same limit as CommandPolicy.MAX_ARG_LENGTH. */
export const MAX_ARG_LENGTH = 4096;

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

/** Path normalisation as java.nio Path.normalize does it for absolute paths. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return "/" + parts.join("/");
}

/** An absolute path, once normalised, equal to a prefix or (for a prefix ending in "/") under it. */
export function underAllowedPrefix(arg: string, prefixes: string[]): boolean {
  if (!arg.startsWith("/")) return false;
  const normalized = normalizePath(arg);
  return prefixes.some((prefix) => {
    const allowed = normalizePath(prefix);
    return (
      normalized === allowed ||
      (prefix.endsWith("/") && (allowed === "/" || normalized.startsWith(allowed + "/")))
    );
  });
}

/** Compiles a policy pattern for whole-argument matching, as Java's Matcher.matches() does. */
function wholeMatch(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, "u");
  } catch {
    return null; // a Java-only construct: leave the check to the orchestrator
  }
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

/** What is wrong with these arguments for this command; empty when the policy allows them. */
export function validateArgs(rule: CommandRule, args: string[]): string[] {
  const errors: string[] = [];
  if (args.length < rule.minArgs || args.length > rule.maxArgs) {
    errors.push(argCountMessage(rule, args.length));
  }
  args.forEach((arg, index) => {
    const argRule = argumentRuleFor(rule, index);
    const where = `Argument ${index + 1}${argRule?.name ? ` (${argRule.name})` : ""} ${JSON.stringify(arg)}`;
    const pattern = argRule?.pattern ? wholeMatch(argRule.pattern) : null;
    if (arg.length > MAX_ARG_LENGTH) {
      errors.push(`${where} is longer than ${MAX_ARG_LENGTH} characters.`);
    } else if (arg.includes("\0")) {
      errors.push(`${where} contains a NUL character.`);
    } else if (argRule && argRule.enum.length > 0 && !argRule.enum.includes(arg)) {
      errors.push(`${where} must be one of ${argRule.enum.join(", ")}.`);
    } else if (pattern && !pattern.test(arg)) {
      errors.push(`${where} does not match ${argRule!.pattern}.`);
    } else if (argRule && argRule.pathPrefix.length > 0 && !underAllowedPrefix(arg, argRule.pathPrefix)) {
      errors.push(`${where} must be one of ${argRule.pathPrefix.join(", ")}.`);
    }
  });
  return errors;
}

function argCountMessage(rule: CommandRule, got: number): string {
  const expected =
    rule.minArgs === rule.maxArgs
      ? rule.maxArgs === 0
        ? "no arguments"
        : `exactly ${rule.maxArgs} argument${rule.maxArgs === 1 ? "" : "s"}`
      : `${rule.minArgs} to ${rule.maxArgs} arguments`;
  return `${rule.name} takes ${expected}; got ${got}.`;
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
