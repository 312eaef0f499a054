import { describe, expect, it } from "vitest";

import type { CommandList } from "@/lib/api/types";
import {
  describeTargets,
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
    expect(draftErrors(draft({ targetMode: "selector", selector: "" }), POLICY).selector?.[0]).toMatch(/empty/);
    expect(draftErrors(draft({ targetMode: "selector", selector: "role in (web" }), POLICY).selector?.[0]).toMatch(
      /expected a comma or \)/,
    );
    expect(draftErrors(draft({ targetMode: "selector", selector: "role=web", agentIds: [] }), POLICY)).toEqual({});
    expect(draftErrors(draft({ targetMode: "all", agentIds: [] }), POLICY)).toEqual({});
  });

  it("checks arguments and timeout against the policy", () => {
    const errors = draftErrors(draft({ command: "sleep", argsLine: "5s", timeout: "7200" }), POLICY);
    expect(errors.argsLine?.[0]).toMatch(/does not match/);
    expect(errors.timeout?.[0]).toMatch(/from 1 to 3600/);
  });

  it("checks the rollout fields", () => {
    const errors = draftErrors(
      draft({ concurrency: "0", maxFailures: "150%", offlineWait: "-3", jobTimeout: "x", retryAttempts: "11" }),
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
    expect(draftToRequest(draft({ argsLine: `hi "big world"`, agentIds: ["a1", "a2"] }))).toEqual({
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
          offlineWait: "0",
          jobTimeout: "600",
          retryAttempts: "3",
          retryBackoff: "5",
        }),
      ),
    ).toEqual({
      command: "echo",
      args: [],
      timeoutSeconds: 60,
      targets: { selector: "env=prod" },
      concurrency: "20%",
      maxFailures: 2,
      offlineWaitSeconds: 0,
      jobTimeoutSeconds: 600,
      retry: { maxAttempts: 3, backoffSeconds: 5 },
    });
    expect(draftToRequest(draft({ targetMode: "all", retryAttempts: "1" }))).toEqual({
      command: "echo",
      args: [],
      timeoutSeconds: 60,
      targets: { all: true },
    });
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
      "3 attempts, 5 s apart (lost runs only)",
    );
  });
});
