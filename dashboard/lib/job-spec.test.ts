import { describe, expect, it } from "vitest";

import type { CommandList } from "@/lib/api/types";
import {
  defaultPositional,
  describeTargets,
  draftArgs,
  draftErrors,
  draftToRequest,
  emptyDraft,
  parseCountOrPercent,
  readJobRequest,
  rolloutFacts,
  type JobDraft,
} from "@/lib/job-spec";

const POLICY: CommandList = {
  maxTimeoutSeconds: 3600,
  items: [
    { name: "echo", description: "", executable: "/usr/bin/echo", minArgs: 0, maxArgs: 32, argPattern: null, pathPrefixes: [] },
    { name: "sleep", description: "", executable: "/usr/bin/sleep", minArgs: 1, maxArgs: 1, argPattern: "[0-9]+", pathPrefixes: [] },
    {
      name: "date",
      description: "",
      executable: "/usr/bin/date",
      minArgs: 0,
      maxArgs: 1,
      args: [{ name: "format", enum: ["-u", "-R"], pattern: null, pathPrefix: [] }],
      rest: null,
      maxTimeoutSeconds: 60,
      argPattern: null,
      pathPrefixes: [],
    },
    {
      name: "pick",
      description: "",
      executable: "/usr/bin/pick",
      minArgs: 1,
      maxArgs: 4,
      args: [{ name: "mode", enum: ["fast", "slow"], pattern: null, pathPrefix: [] }],
      rest: { name: "item", enum: [], pattern: "[a-z]+", pathPrefix: [] },
      argPattern: null,
      pathPrefixes: [],
    },
  ],
};

const draft = (change: Partial<JobDraft> = {}): JobDraft => ({ ...emptyDraft(POLICY, ["a1"]), ...change });

describe("parseCountOrPercent", () => {
  it("reads nothing, a count or a percentage", () => {
    expect(parseCountOrPercent("")).toEqual({ value: null });
    expect(parseCountOrPercent(" 5 ")).toEqual({ value: 5 });
    expect(parseCountOrPercent("20%")).toEqual({ value: "20%" });
    expect(parseCountOrPercent("100 %")).toEqual({ value: "100%" });
  });

  it.each(["0", "-1", "1.5", "0%", "101%", "abc", "5%%", "%"])("refuses %j", (text) => {
    expect(parseCountOrPercent(text).error).toBeDefined();
  });
});

describe("draftErrors", () => {
  it("accepts the default draft with an agent chosen", () => {
    expect(draftErrors(draft(), POLICY)).toEqual({});
  });

  it("asks for targets in each mode", () => {
    expect(draftErrors(draft({ agentIds: [] }), POLICY).agentIds).toEqual(["Choose at least one agent."]);
    expect(draftErrors(draft({ targetMode: "selector", selector: "" }), POLICY).selector).toEqual(["Enter a selector."]);
    // The selector's grammar is the orchestrator's: the form sends it as typed and shows the dry run's answer.
    expect(draftErrors(draft({ targetMode: "selector", selector: "role in (web" }), POLICY)).toEqual({});
    expect(draftErrors(draft({ targetMode: "selector", selector: "role=web", agentIds: [] }), POLICY)).toEqual({});
    expect(draftErrors(draft({ targetMode: "all", agentIds: [] }), POLICY)).toEqual({});
  });

  it("reads the argument line and the timeout, leaving the policy to the orchestrator", () => {
    expect(draftErrors(draft({ command: "sleep", argsLine: "5s", timeout: "7200" }), POLICY)).toEqual({});
    const errors = draftErrors(draft({ argsLine: '"open', timeout: "0" }), POLICY);
    expect(errors.argsLine?.[0]).toMatch(/unterminated/);
    expect(errors.timeout).toEqual(["Enter a whole number of seconds, at least 1."]);
  });

  it("checks the rollout fields", () => {
    const errors = draftErrors(
      draft({ concurrency: "0", maxFailures: "150%", offlineWait: "0", jobTimeout: "x", retryAttempts: "11" }),
      POLICY,
    );
    expect(Object.keys(errors).sort()).toEqual(["concurrency", "jobTimeout", "maxFailures", "offlineWait", "retryAttempts"]);
  });

  it("needs a backoff only when retrying", () => {
    expect(draftErrors(draft({ retryAttempts: "1", retryBackoff: "" }), POLICY)).toEqual({});
    expect(draftErrors(draft({ retryAttempts: "3", retryBackoff: "" }), POLICY).retryBackoff).toBeDefined();
  });
});

describe("draftToRequest", () => {
  it("builds a minimal request for chosen agents", () => {
    expect(draftToRequest(draft({ argsLine: `hi "big world"`, agentIds: ["a1", "a2"] }), POLICY)).toEqual({
      command: "echo",
      args: ["hi", "big world"],
      timeoutSeconds: 60,
      targets: { agentIds: ["a1", "a2"] },
    });
  });

  it("includes only the rollout fields that were set", () => {
    expect(
      draftToRequest(
        draft({
          targetMode: "selector",
          selector: " env=prod ",
          concurrency: "20%",
          maxFailures: "2",
          offlineWait: "30",
          jobTimeout: "600",
          retryAttempts: "3",
          retryBackoff: "5",
        }),
        POLICY,
      ),
    ).toEqual({
      command: "echo",
      args: [],
      timeoutSeconds: 60,
      targets: { selector: "env=prod" },
      concurrency: "20%",
      maxFailures: 2,
      offlineWaitSeconds: 30,
      jobTimeoutSeconds: 600,
      retry: { maxAttempts: 3, backoffSeconds: 5 },
    });
    expect(draftToRequest(draft({ targetMode: "all", retryAttempts: "1" }), POLICY)).toEqual({
      command: "echo",
      args: [],
      timeoutSeconds: 60,
      targets: { all: true },
    });
  });
});

describe("commands with a choice of values", () => {
  const date = POLICY.items[2];
  const pick = POLICY.items[3];

  it("start a required enum at its first value, an optional one empty", () => {
    expect(defaultPositional(date)).toEqual([""]);
    expect(defaultPositional(pick)).toEqual(["fast"]);
    expect(defaultPositional(POLICY.items[1])).toEqual([]);
  });

  it("take the positional fields, dropping trailing empty optional ones, then the line", () => {
    expect(draftArgs(draft({ command: "date", positional: [""] }), date)).toEqual({ args: [] });
    expect(draftArgs(draft({ command: "date", positional: ["-u"] }), date)).toEqual({ args: ["-u"] });
    expect(draftArgs(draft({ command: "pick", positional: ["slow"], argsLine: "a b" }), pick)).toEqual({ args: ["slow", "a", "b"] });
  });

  it("build the request from the positional fields, then the line", () => {
    expect(draftToRequest(draft({ command: "pick", positional: ["slow"], argsLine: "x" }), POLICY).args).toEqual(["slow", "x"]);
  });
});

describe("readJobRequest", () => {
  const valid = { command: "echo", args: ["x"], timeoutSeconds: 60, targets: { all: true } };

  it("passes a well-formed request", () => {
    expect(readJobRequest(JSON.stringify(valid))).toEqual({ request: valid });
  });

  it.each([
    ["not json", "{"],
    ["no command", JSON.stringify({ ...valid, command: "" })],
    ["non-string args", JSON.stringify({ ...valid, args: [1] })],
    ["fractional timeout", JSON.stringify({ ...valid, timeoutSeconds: 1.5 })],
    ["no targets", JSON.stringify({ ...valid, targets: undefined })],
    ["two kinds of targets", JSON.stringify({ ...valid, targets: { all: true, selector: "a=b" } })],
    ["empty agent list", JSON.stringify({ ...valid, targets: { agentIds: [] } })],
  ])("refuses %s", (_what, json) => {
    expect(readJobRequest(json).error).toBeDefined();
  });
});

describe("describeTargets and rolloutFacts", () => {
  it("describes targets in a few words", () => {
    const names = new Map([
      ["a1", "web-1"],
      ["a2", "web-2"],
    ]);
    expect(describeTargets({ all: true })).toBe("all online agents");
    expect(describeTargets({ selector: "env=prod" })).toBe("selector env=prod");
    expect(describeTargets({ agentIds: ["a1", "a2"] }, names)).toBe("web-1, web-2");
    expect(describeTargets({ agentIds: ["a1", "a2", "a3", "a4"] }, names)).toBe("web-1, web-2 and 2 more");
    expect(describeTargets(null)).toBe("—");
  });

  it("describes the rollout, with defaults spelled out", () => {
    expect(rolloutFacts({})).toEqual([
      ["Concurrency", "all at once"],
      ["Max failures", "no limit"],
      ["Offline wait", "default"],
      ["Job timeout", "none"],
      ["Retry", "none"],
    ]);
    expect(rolloutFacts({ concurrency: "20%", retry: { maxAttempts: 3, backoffSeconds: 5 } })[4][1]).toBe(
      "3 attempts, backoff 5 s doubling (lost runs only)",
    );
  });
});
