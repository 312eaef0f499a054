import { describe, expect, it } from "vitest";

import type { CommandRule } from "@/lib/api/types";
import { normalizePath, parseArgs, underAllowedPrefix, validateArgs } from "@/lib/policy";

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
