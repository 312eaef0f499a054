import { describe, expect, it } from "vitest";

import { formatBytes, formatDateTime, formatDuration, formatPercent, formatRelative, ratio } from "@/lib/format";

describe("formatBytes", () => {
  it("keeps small sizes in bytes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
  });

  it("uses binary units with one decimal", () => {
    expect(formatBytes(1024)).toBe("1.0 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(8 * 1024 ** 3)).toBe("8.0 GiB");
    expect(formatBytes(2.5 * 1024 ** 4)).toBe("2.5 TiB");
  });

  it("shows a dash for unknown or invalid sizes", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(undefined)).toBe("—");
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
});

describe("formatPercent and ratio", () => {
  it("turns a 0..1 ratio into a percentage", () => {
    expect(formatPercent(0.4215)).toBe("42%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(null)).toBe("—");
  });

  it("has no ratio without a total", () => {
    expect(ratio(5, 10)).toBe(0.5);
    expect(ratio(5, 0)).toBeNull();
    expect(ratio(undefined, 10)).toBeNull();
  });
});

describe("formatDuration", () => {
  it("reads naturally at every scale", () => {
    expect(formatDuration(950)).toBe("950 ms");
    expect(formatDuration(2_340)).toBe("2.3 s");
    expect(formatDuration(83_000)).toBe("1m 23s");
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe("2h 5m");
    expect(formatDuration(null)).toBe("—");
  });
});

describe("times", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");

  it("says how long ago, or how soon", () => {
    expect(formatRelative("2026-11-25T11:59:58Z", now)).toBe("just now");
    expect(formatRelative("2026-11-25T11:59:30Z", now)).toBe("30s ago");
    expect(formatRelative("2026-11-25T11:57:00Z", now)).toBe("3m ago");
    expect(formatRelative("2026-11-25T14:00:00Z", now)).toBe("in 2h");
    expect(formatRelative(null, now)).toBe("never");
  });

  it("prints absolute times in UTC, the same on server and browser", () => {
    expect(formatDateTime("2026-11-25T03:04:05.678Z")).toBe("2026-11-25 03:04:05 UTC");
  });
});
