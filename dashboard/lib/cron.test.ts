import { describe, expect, it } from "vitest";

import { cronError, describeCron, scheduleNameError } from "@/lib/cron";

describe("describeCron", () => {
  it.each([
    ["* * * * *", "every minute"],
    ["*/15 * * * *", "every 15 minutes"],
    ["5 * * * *", "every hour at minute 5"],
    ["0 */6 * * *", "every 6 hours at minute 0"],
    ["30 2 * * *", "every day at 02:30 UTC"],
    ["0 3 * * 1", "every Monday at 03:00 UTC"],
    ["0 9 * * 1-5", "every weekday at 09:00 UTC"],
    ["15 4 1 * *", "on day 1 of every month at 04:15 UTC"],
    ["@hourly", "every hour, at minute 0"],
    ["@daily", "every day at 00:00 UTC"],
    ["@every 30m", "every 30m"],
    ["0 12 1 JAN *", "at minute 0, hour 12, day 1, month JAN, weekday * (UTC)"],
  ])("says %j is %j", (expression, hint) => {
    expect(cronError(expression)).toBeUndefined();
    expect(describeCron(expression)).toBe(hint);
  });
});

describe("cronError", () => {
  it.each([
    ["", "enter a cron expression"],
    ["* * * *", "expected 5 fields"],
    ["* * * * * *", "expected 5 fields"],
    ["60 * * * *", "minute: 60 is out of range 0-59"],
    ["* 24 * * *", "hour: 24 is out of range 0-23"],
    ["* * 0 * *", "day of month: 0 is out of range 1-31"],
    ["* * * 13 *", "month: 13 is out of range 1-12"],
    ["* * * * 8", "day of week: 8 is out of range 0-7"],
    ["*/0 * * * *", "the step in \"*/0\" must be at least 1"],
    ["*/x * * * *", "bad step"],
    ["a * * * *", "\"a\" is not a number"],
    ["1-2-3 * * * *", "bad range"],
    ["@sometimes", "unknown shorthand"],
  ])("refuses %j", (expression, message) => {
    expect(cronError(expression)).toContain(message);
    expect(describeCron(expression)).toBeNull();
  });

  it("accepts lists, ranges, steps and names", () => {
    expect(cronError("0,30 8-18/2 1-15 jan-jun mon-fri")).toBeUndefined();
    expect(cronError("  0 0 * * SUN  ")).toBeUndefined();
  });
});

describe("scheduleNameError", () => {
  it("takes names as the orchestrator does", () => {
    expect(scheduleNameError("nightly disk report_2.v-1")).toBeUndefined();
    expect(scheduleNameError("")).toBe("Give the schedule a name.");
    expect(scheduleNameError("-nightly")).toMatch(/starting with a letter or digit/);
    expect(scheduleNameError("disk/report")).toMatch(/letters, digits, spaces/);
    expect(scheduleNameError("x".repeat(101))).toMatch(/1-100/);
  });
});
