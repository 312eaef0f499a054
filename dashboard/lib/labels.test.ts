import { describe, expect, it } from "vitest";

import { formatLabels, labelEntries, parseLabels } from "@/lib/labels";

describe("parseLabels", () => {
  it("reads key=value pairs separated by commas, trimming spaces", () => {
    expect(parseLabels(" env = prod,role=web , mamos.io/zone=eu-1")).toEqual({
      labels: { env: "prod", role: "web", "mamos.io/zone": "eu-1" },
    });
  });

  it("takes an empty line as no labels", () => {
    expect(parseLabels("")).toEqual({ labels: {} });
    expect(parseLabels("   ")).toEqual({ labels: {} });
  });

  it.each([
    ["env", "has no value"],
    ["env=prod,,role=web", "empty entry"],
    ["env=prod,", "empty entry"],
    ["env=", "the value must be a word"],
    ["=prod", "the key must be a word"],
    ["my env=prod", "the key must be a word"],
    ["env=a=b", "the value must be a word"],
    ["env=(x)", "the value must be a word"],
    ["env=prod,env=dev", 'the key "env" is given twice'],
    [`k=${"v".repeat(64)}`, "longer than 63"],
  ])("refuses %j", (text, message) => {
    const parsed = parseLabels(text);
    expect(parsed.labels).toBeUndefined();
    expect(parsed.error).toContain(message);
  });
});

describe("formatLabels", () => {
  it("writes labels sorted by key, readable back", () => {
    const text = formatLabels({ role: "web", env: "prod" });
    expect(text).toBe("env=prod, role=web");
    expect(parseLabels(text)).toEqual({ labels: { env: "prod", role: "web" } });
    expect(formatLabels(null)).toBe("");
    expect(labelEntries({ b: "2", a: "1" })).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });
});
