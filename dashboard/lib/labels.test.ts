import { describe, expect, it } from "vitest";

import { formatLabels, labelEntries, parseLabels } from "@/lib/labels";

describe("parseLabels", () => {
  it("reads key=value pairs separated by commas, trimming spaces", () => {
    expect(parseLabels(" env = prod,role=web , mamos.io/zone=eu-1")).toEqual({
      labels: { env: "prod", role: "web", "mamos.io/zone": "eu-1" },
    });
  });

  it("takes an empty value, as the orchestrator does", () => {
    expect(parseLabels("canary=")).toEqual({ labels: { canary: "" } });
  });

  it("refuses more than 32 labels", () => {
    const many = Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(",");
    expect(parseLabels(many).error).toBe("at most 32 labels are allowed");
  });

  it("takes an empty line as no labels", () => {
    expect(parseLabels("")).toEqual({ labels: {} });
    expect(parseLabels("   ")).toEqual({ labels: {} });
  });

  it.each([
    ["env", "has no value"],
    ["env=prod,,role=web", "empty entry"],
    ["env=prod,", "empty entry"],
    ["=prod", "is not a valid key"],
    ["my env=prod", '"my env" is not a valid key'],
    ["_env=prod", "is not a valid key"],
    ["env=a=b", '"a=b" is not a valid value for env'],
    ["env=(x)", "is not a valid value"],
    ["path=/var/log", "is not a valid value"],
    ["env=prod,env=dev", 'the key "env" is given twice'],
    [`k=${"v".repeat(64)}`, "use at most 63 letters"],
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
