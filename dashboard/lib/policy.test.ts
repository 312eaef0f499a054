import { describe, expect, it } from "vitest";

import type { CommandRule } from "@/lib/api/types";
import { commandsFor, describeArgs, parseArgs } from "@/lib/policy";

const rule = (overrides: Partial<CommandRule>): CommandRule => ({
  name: "x",
  description: "",
  executable: "/usr/bin/x",
  minArgs: 0,
  maxArgs: 0,
  argPattern: null,
  pathPrefixes: [],
  ...overrides,
});

const sleep = rule({ name: "sleep", minArgs: 1, maxArgs: 1, argPattern: "[0-9]{1,5}(\\.[0-9]{1,3})?" });

describe("parseArgs", () => {
  it("splits on whitespace and honours quotes", () => {
    expect(parseArgs(`hello  "big world" 'x y' a\\ b`).args).toEqual(["hello", "big world", "x y", "a b"]);
    expect(parseArgs("   ").args).toEqual([]);
    expect(parseArgs(`""`).args).toEqual([""]);
  });

  it("reports an unterminated quote", () => {
    expect(parseArgs(`"open`).error).toMatch(/unterminated/);
  });
});

describe("describeArgs", () => {
  // As GET /api/v1/commands describes them once the policy has rules by position.
  const vmstat = rule({
    name: "vmstat",
    minArgs: 0,
    maxArgs: 2,
    args: [
      { name: "delay", enum: [], pattern: "[1-9][0-9]{0,2}", pathPrefix: [] },
      { name: "count", enum: [], pattern: "[1-9][0-9]{0,3}", pathPrefix: [] },
    ],
    rest: null,
  });
  const date = rule({ name: "date", maxArgs: 1, args: [{ name: "format", enum: ["-u", "-R"], pattern: null, pathPrefix: [] }], rest: null });
  const catRest = rule({
    name: "cat",
    minArgs: 1,
    maxArgs: 4,
    args: [],
    rest: { name: "file", enum: [], pattern: null, pathPrefix: ["/proc/cpuinfo", "/var/log/"] },
  });
  const echo = rule({ name: "echo", maxArgs: 32, args: [], rest: null });

  it("describes what each argument may be", () => {
    expect(describeArgs(date)).toBe("0 to 1 arguments: format one of -u, -R.");
    expect(describeArgs(vmstat)).toBe("0 to 2 arguments: delay matching [1-9][0-9]{0,2}; count matching [1-9][0-9]{0,3}.");
    expect(describeArgs(catRest)).toBe("1 to 4 arguments: each file one of /proc/cpuinfo, /var/log/.");
    expect(describeArgs(echo)).toBe("0 to 32 arguments.");
    expect(describeArgs(sleep)).toBe("Exactly 1 argument: each matching [0-9]{1,5}(\\.[0-9]{1,3})?.");
  });
});

describe("commandsFor", () => {
  it("keeps the commands one of the roles may run", () => {
    const list = {
      maxTimeoutSeconds: 60,
      items: [rule({ name: "a", roles: ["ADMIN"] }), rule({ name: "b", roles: ["OPERATOR", "ADMIN"] }), rule({ name: "c" })],
    };
    expect(commandsFor(list, ["OPERATOR"]).items.map((r) => r.name)).toEqual(["b", "c"]);
    expect(commandsFor(list, ["ADMIN"]).items.map((r) => r.name)).toEqual(["a", "b", "c"]);
  });
});
