import { describe, expect, it } from "vitest";

import { readRunsFilter, runsQuery } from "@/lib/api/runs-query";

describe("runsQuery", () => {
  it("passes a valid page, size and state through", () => {
    expect(runsQuery(new URLSearchParams("page=2&size=20&state=SKIPPED"))).toBe("page=2&size=20&state=SKIPPED");
  });

  it("drops unknown states and out-of-range numbers", () => {
    expect(readRunsFilter(new URLSearchParams("page=-1&size=0&state=BOGUS"))).toEqual({ page: 0, size: 50, state: "" });
    expect(runsQuery(new URLSearchParams("size=100000&state=x%26y"))).toBe("page=0&size=200");
  });
});
