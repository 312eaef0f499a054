import { describe, expect, it } from "vitest";

import type { CommandRule } from "@/lib/api/types";
import { commandsFor, describeArgs, normalizePath, parseArgs, underAllowedPrefix, validateArgs } from "@/lib/policy";

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
const cat = rule({
  name: "cat",
  minArgs: 1,
  maxArgs: 4,
  pathPrefixes: ["/proc/cpuinfo", "/etc/os-release", "/var/log/"],
});

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

describe("validateArgs", () => {
  it("enforces the argument count", () => {
    expect(validateArgs(sleep, [])).toEqual(["sleep takes exactly 1 argument; got 0."]);
    expect(validateArgs(rule({ name: "uptime" }), ["-p"])[0]).toBe("uptime takes no arguments; got 1.");
  });

  it("matches the pattern against the whole argument, as Java's matches() does", () => {
    expect(validateArgs(sleep, ["5"])).toEqual([]);
    expect(validateArgs(sleep, ["2.5"])).toEqual([]);
    expect(validateArgs(sleep, ["5s"])).toHaveLength(1);
    expect(validateArgs(sleep, ["123456"])).toHaveLength(1);
  });

  it("accepts only exact files or paths under a directory prefix, after normalising", () => {
    expect(validateArgs(cat, ["/proc/cpuinfo", "/var/log/syslog"])).toEqual([]);
    expect(validateArgs(cat, ["/proc/../etc/shadow"])).toHaveLength(1);
    expect(validateArgs(cat, ["/proc/cpuinfo2"])).toHaveLength(1);
    expect(validateArgs(cat, ["proc/cpuinfo"])).toHaveLength(1);
  });
});

describe("paths", () => {
  it("normalises like java.nio Path.normalize", () => {
    expect(normalizePath("/a/./b/../c//d")).toBe("/a/c/d");
    expect(underAllowedPrefix("/var/log/../log/x", ["/var/log/"])).toBe(true);
    expect(underAllowedPrefix("/var/logs", ["/var/log/"])).toBe(false);
  });
});

describe("per-argument rules", () => {
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

  it("checks each argument against the rule of its position", () => {
    expect(validateArgs(vmstat, ["5", "10"])).toEqual([]);
    expect(validateArgs(vmstat, ["0"])).toEqual(['Argument 1 (delay) "0" does not match [1-9][0-9]{0,2}.']);
    expect(validateArgs(vmstat, ["5", "99999"])).toEqual(['Argument 2 (count) "99999" does not match [1-9][0-9]{0,3}.']);
  });

  it("checks an enum exactly", () => {
    expect(validateArgs(date, ["-u"])).toEqual([]);
    expect(validateArgs(date, ["-U"])).toEqual(['Argument 1 (format) "-U" must be one of -u, -R.']);
  });

  it("applies rest to every argument after the positional ones, and leaves uncovered ones unchecked", () => {
    expect(validateArgs(catRest, ["/proc/cpuinfo", "/var/log/syslog"])).toEqual([]);
    expect(validateArgs(catRest, ["/etc/shadow"])).toEqual(['Argument 1 (file) "/etc/shadow" must be one of /proc/cpuinfo, /var/log/.']);
    expect(validateArgs(echo, ["anything", "at all"])).toEqual([]);
  });

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
