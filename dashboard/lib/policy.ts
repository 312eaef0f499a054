// Client-side mirror of the orchestrator's CommandPolicy checks, so the new-job form can say
// what is wrong before submitting. The orchestrator checks again and stays authoritative.
import type { CommandRule } from "@/lib/api/types";

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

/** What is wrong with these arguments for this command; empty when the policy allows them. */
export function validateArgs(rule: CommandRule, args: string[]): string[] {
  const errors: string[] = [];
  if (args.length < rule.minArgs || args.length > rule.maxArgs) {
    errors.push(argCountMessage(rule, args.length));
  }
  const pattern = rule.argPattern ? wholeMatch(rule.argPattern) : null;
  args.forEach((arg, index) => {
    const where = `Argument ${index + 1} (${JSON.stringify(arg)})`;
    if (arg.length > MAX_ARG_LENGTH) {
      errors.push(`${where} is longer than ${MAX_ARG_LENGTH} characters.`);
    } else if (arg.includes("\0")) {
      errors.push(`${where} contains a NUL character.`);
    } else if (pattern && !pattern.test(arg)) {
      errors.push(`${where} does not match ${rule.argPattern}.`);
    } else if (rule.pathPrefixes.length > 0 && !underAllowedPrefix(arg, rule.pathPrefixes)) {
      errors.push(`${where} must be one of ${rule.pathPrefixes.join(", ")}.`);
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
  if (rule.argPattern) return `${count}, each matching ${rule.argPattern}.`;
  if (rule.pathPrefixes.length > 0) return `${count}, each one of ${rule.pathPrefixes.join(", ")}.`;
  return `${count}.`;
}
