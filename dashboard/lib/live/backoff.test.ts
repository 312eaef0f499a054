import { describe, expect, it } from "vitest";

import { reconnectDelay } from "@/lib/live/backoff";

describe("reconnectDelay", () => {
  it("doubles from one second up to fifteen", () => {
    const middle = () => 0.5; // no jitter
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((attempt) => reconnectDelay(attempt, middle))).toEqual([
      1000, 2000, 4000, 8000, 15000, 15000, 15000, 15000,
    ]);
  });

  it("spreads clients by ±20%", () => {
    expect(reconnectDelay(0, () => 0)).toBe(800);
    expect(reconnectDelay(0, () => 1)).toBe(1200);
  });
});
