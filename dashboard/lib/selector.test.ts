import { describe, expect, it } from "vitest";

import { formatSelector, matchesSelector, parseSelector, type Requirement } from "@/lib/selector";

function parse(text: string): Requirement[] {
  const parsed = parseSelector(text);
  if (parsed.error !== undefined) throw new Error(`unexpected error for ${text}: ${parsed.error}`);
  return parsed.requirements;
}

function matches(text: string, labels: Record<string, string>): boolean {
  return matchesSelector(parse(text), labels);
}

const web = { env: "prod", role: "web" };
const api = { env: "prod", role: "api" };
const staging = { env: "staging", role: "web", canary: "yes" };
const bare = {};

describe("parseSelector", () => {
  it("reads every operator", () => {
    expect(parse("env=prod")).toEqual([{ key: "env", operator: "equals", values: ["prod"] }]);
    expect(parse("env==prod")).toEqual([{ key: "env", operator: "equals", values: ["prod"] }]);
    expect(parse("env!=prod")).toEqual([{ key: "env", operator: "notEquals", values: ["prod"] }]);
    expect(parse("role in (web,api)")).toEqual([{ key: "role", operator: "in", values: ["web", "api"] }]);
    expect(parse("role notin (web)")).toEqual([{ key: "role", operator: "notIn", values: ["web"] }]);
    expect(parse("canary")).toEqual([{ key: "canary", operator: "exists", values: [] }]);
    expect(parse("!canary")).toEqual([{ key: "canary", operator: "notExists", values: [] }]);
  });

  it("takes commas as AND, but not inside a value set", () => {
    expect(parse("env=prod,role in (web,api),!canary")).toEqual([
      { key: "env", operator: "equals", values: ["prod"] },
      { key: "role", operator: "in", values: ["web", "api"] },
      { key: "canary", operator: "notExists", values: [] },
    ]);
  });

  it("allows spaces around operators, commas and parentheses", () => {
    expect(parse("  env = prod ,  role in( web , api ) , ! canary ")).toEqual(parse("env=prod,role in (web,api),!canary"));
    expect(parse("env == prod")).toEqual(parse("env=prod"));
    expect(parse("env != prod")).toEqual(parse("env!=prod"));
  });

  it("takes an empty value after = and !=, as Kubernetes does", () => {
    expect(parse("env=")).toEqual([{ key: "env", operator: "equals", values: [""] }]);
    expect(parse("env!= ,role=web")).toEqual([
      { key: "env", operator: "notEquals", values: [""] },
      { key: "role", operator: "equals", values: ["web"] },
    ]);
    expect(matches("env=", { env: "" })).toBe(true);
    expect(matches("env=", { env: "prod" })).toBe(false);
  });

  it("takes keys with dots, slashes and dashes, and in/notin only as words", () => {
    expect(parse("mamos.io/zone=eu-west-1")).toEqual([{ key: "mamos.io/zone", operator: "equals", values: ["eu-west-1"] }]);
    expect(parse("index")).toEqual([{ key: "index", operator: "exists", values: [] }]);
    expect(parse("in=x")).toEqual([{ key: "in", operator: "equals", values: ["x"] }]);
  });

  it.each([
    ["", "the selector is empty"],
    ["   ", "the selector is empty"],
    ["env=prod:1", '"prod:1" at position 5 is not a valid label value'],
    ["env=pr@d", '"pr@d" at position 5 is not a valid label value'],
    ["-env=prod", '"-env" at position 1 is not a valid label key'],
    ["=prod", "expected a label name at position 1"],
    ["env=prod,", "expected a label name at position 10"],
    ["env=prod role=web", "expected a comma between requirements at position 10"],
    ["env prod", "expected an operator after \"env\""],
    ["env!prod", "expected = after ! at position 5"],
    ["role in web", "expected ( after in"],
    ["role in (web", "expected a comma or ) at position 13, found the end"],
    ["role in ()", "expected a value at position 10"],
    ["role notin (a,,b)", "expected a value at position 15"],
    ["!", "expected a label name after ! at position 2"],
    ["a=b=c", "expected a comma between requirements at position 4"],
    ["(x)", "expected a label name at position 1"],
  ])("explains what is wrong with %j", (text, message) => {
    const parsed = parseSelector(text);
    expect(parsed.requirements).toBeUndefined();
    expect(parsed.error).toContain(message);
  });
});

describe("matchesSelector", () => {
  it("matches equality", () => {
    expect(matches("env=prod", web)).toBe(true);
    expect(matches("env==prod", staging)).toBe(false);
    expect(matches("env=prod", bare)).toBe(false);
  });

  it("matches inequality when the label is missing or different", () => {
    expect(matches("env!=prod", web)).toBe(false);
    expect(matches("env!=prod", staging)).toBe(true);
    expect(matches("env!=prod", bare)).toBe(true);
  });

  it("matches set membership", () => {
    expect(matches("role in (web,api)", web)).toBe(true);
    expect(matches("role in (web,api)", api)).toBe(true);
    expect(matches("role in (db)", web)).toBe(false);
    expect(matches("role in (web)", bare)).toBe(false);
    expect(matches("role notin (web,db)", web)).toBe(false);
    expect(matches("role notin (web,db)", api)).toBe(true);
    expect(matches("role notin (web)", bare)).toBe(true);
  });

  it("matches presence and absence", () => {
    expect(matches("canary", staging)).toBe(true);
    expect(matches("canary", web)).toBe(false);
    expect(matches("!canary", staging)).toBe(false);
    expect(matches("!canary", web)).toBe(true);
  });

  it("requires every requirement", () => {
    const selector = "env=prod,role in (web,api),!canary";
    expect([web, api, staging, bare].map((labels) => matches(selector, labels))).toEqual([true, true, false, false]);
    expect(matches("env=prod,role=web", api)).toBe(false);
  });

  it("treats missing labels as none and does not match inherited properties", () => {
    expect(matchesSelector(parse("!env"), null)).toBe(true);
    expect(matches("toString", bare)).toBe(false);
    expect(matches("constructor!=x", bare)).toBe(true);
  });

  it("compares values exactly", () => {
    expect(matches("env=Prod", web)).toBe(false);
    expect(matches("env=pro", web)).toBe(false);
  });
});

describe("formatSelector", () => {
  it("writes a parsed selector back canonically", () => {
    expect(formatSelector(parse(" env == prod , role in ( web , api ), !canary, zone, tier != db, x notin (a) "))).toBe(
      "env=prod,role in (web,api),!canary,zone,tier!=db,x notin (a)",
    );
  });
});
