// Label selectors, as a job's `targets.selector` takes them, parsed and matched in the browser
// so the new-job form can preview which online agents a selector picks. The orchestrator
// resolves the selector again when the job starts and stays authoritative.
//
// Grammar (requirements separated by commas, all must hold):
// Keys and values have the shape lib/labels.ts checks (as the orchestrator's LabelSelector).
//   k=v, k==v   label k is v (v may be empty)
//   k!=v        label k is missing or not v
//   k in (a,b)  label k is a or b
//   k notin (a,b)  label k is missing or neither a nor b
//   k           label k is present
//   !k          label k is missing
import type { Labels } from "@/lib/api/types";
import { LABEL_KEY, LABEL_VALUE } from "@/lib/labels";

export type Operator = "equals" | "notEquals" | "in" | "notIn" | "exists" | "notExists";

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

export type ParsedSelector = { requirements: Requirement[]; error?: undefined } | { requirements?: undefined; error: string };

/** Characters that end a key or a value. */
const SPECIAL = new Set([",", "=", "!", "(", ")"]);

function isWordChar(c: string | undefined): c is string {
  return c !== undefined && !SPECIAL.has(c) && !/\s/.test(c);
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    this.skipSpace();
    if (this.atEnd()) throw new SelectorError("the selector is empty");
    for (;;) {
      requirements.push(this.requirement());
      this.skipSpace();
      if (this.atEnd()) return requirements;
      this.expect(",", "a comma between requirements");
    }
  }

  private requirement(): Requirement {
    this.skipSpace();
    if (this.peek() === "!") {
      this.pos++;
      this.skipSpace();
      return { key: this.key("a label name after !"), operator: "notExists", values: [] };
    }
    const key = this.key("a label name");
    this.skipSpace();
    const c = this.peek();
    if (c === "=") {
      this.pos++;
      if (this.peek() === "=") this.pos++;
      return { key, operator: "equals", values: [this.value(true)] };
    }
    if (c === "!") {
      this.pos++;
      this.expect("=", "= after !");
      return { key, operator: "notEquals", values: [this.value(true)] };
    }
    const keyword = this.lookaheadWord();
    if (keyword === "in" || keyword === "notin") {
      this.pos += keyword.length;
      return { key, operator: keyword === "in" ? "in" : "notIn", values: this.valueSet(keyword) };
    }
    if (c === undefined || c === ",") return { key, operator: "exists", values: [] };
    throw this.error(`an operator after "${key}" (=, ==, !=, in, notin)`);
  }

  private key(what: string): string {
    const start = this.pos;
    const key = this.word(what);
    if (!LABEL_KEY.test(key)) throw new SelectorError(`"${key}" at position ${start + 1} is not a valid label key`);
    return key;
  }

  /** A value; after = or != it may be empty (matching an empty label value). */
  private value(mayBeEmpty = false): string {
    this.skipSpace();
    const start = this.pos;
    const c = this.peek();
    if (mayBeEmpty && (c === undefined || c === ",")) return "";
    const value = this.word("a value");
    if (!LABEL_VALUE.test(value)) throw new SelectorError(`"${value}" at position ${start + 1} is not a valid label value`);
    return value;
  }

  private valueSet(keyword: string): string[] {
    this.skipSpace();
    this.expect("(", `( after ${keyword}`);
    const values: string[] = [];
    for (;;) {
      values.push(this.value());
      this.skipSpace();
      if (this.peek() === ")") {
        this.pos++;
        return values;
      }
      this.expect(",", "a comma or )");
    }
  }

  /** The word at the cursor without consuming it, if followed by a space or "(" (so "in" is not "index"). */
  private lookaheadWord(): string | null {
    let end = this.pos;
    while (isWordChar(this.text[end])) end++;
    const word = this.text.slice(this.pos, end);
    const next = this.text[end];
    return word && (next === "(" || (next !== undefined && /\s/.test(next))) ? word : null;
  }

  private word(what: string): string {
    const start = this.pos;
    while (isWordChar(this.peek())) this.pos++;
    if (this.pos === start) throw this.error(what);
    return this.text.slice(start, this.pos);
  }

  private expect(c: string, what: string) {
    this.skipSpace();
    if (this.peek() !== c) throw this.error(what);
    this.pos++;
  }

  private skipSpace() {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private error(what: string): SelectorError {
    const found = this.atEnd() ? "the end" : `"${this.text[this.pos]}"`;
    return new SelectorError(`expected ${what} at position ${this.pos + 1}, found ${found}`);
  }
}

class SelectorError extends Error {}

/** Parses a selector; the error says what was expected where. */
export function parseSelector(text: string): ParsedSelector {
  try {
    return { requirements: new Parser(text).parse() };
  } catch (e) {
    if (e instanceof SelectorError) return { error: e.message };
    throw e;
  }
}

/** Whether labels satisfy one requirement. */
export function satisfies(requirement: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = has ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case "exists":
      return has;
    case "notExists":
      return !has;
    case "equals":
    case "in":
      return has && requirement.values.includes(value!);
    case "notEquals":
    case "notIn":
      return !has || !requirement.values.includes(value!);
  }
}

/** Whether labels satisfy every requirement. */
export function matchesSelector(requirements: Requirement[], labels: Labels | null | undefined): boolean {
  return requirements.every((requirement) => satisfies(requirement, labels ?? {}));
}

/** The selector written out canonically, e.g. "env=prod,role in (api,web)". */
export function formatSelector(requirements: Requirement[]): string {
  return requirements
    .map(({ key, operator, values }) => {
      switch (operator) {
        case "exists":
          return key;
        case "notExists":
          return `!${key}`;
        case "equals":
          return `${key}=${values[0]}`;
        case "notEquals":
          return `${key}!=${values[0]}`;
        case "in":
          return `${key} in (${values.join(",")})`;
        case "notIn":
          return `${key} notin (${values.join(",")})`;
      }
    })
    .join(",");
}
