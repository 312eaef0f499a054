import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import type { Job } from "@/lib/api/types";
import { JobsTable } from "@/components/jobs/jobs-table";
import { RUNNING_JOB } from "@/components/jobs/test-fixtures";

const base: Job = {
  ...RUNNING_JOB,
  id: "11111111-0000-0000-0000-000000000000",
  command: "echo",
  args: ["hi"],
  state: "SUCCEEDED",
  targets: { agentIds: ["a1"] },
  summary: { SUCCEEDED: 1 },
  agentId: "a1",
  exitCode: 0,
  progress: null,
  durationMillis: 10,
};

describe("JobsTable", () => {
  it("shows a single-run job's agent and a fan-out job's target with its run summary", () => {
    const fanOut: Job = {
      ...base,
      id: "22222222-0000-0000-0000-000000000000",
      state: "FAILED",
      targets: { selector: "role=web" },
      runCount: 4,
      summary: { SUCCEEDED: 2, FAILED: 1, SKIPPED: 1 },
      agentId: null,
      exitCode: null,
    };
    render(<JobsTable jobs={[base, fanOut]} hostnames={new Map([["a1", "worker-1"]])} renderedAt={Date.parse("2026-11-25T10:01:00Z")} />);
    const single = screen.getByRole("row", { name: /11111111/ });
    expect(within(single).getByRole("link", { name: "worker-1" })).toHaveAttribute("href", "/agents/a1");
    expect(within(single).getByRole("img")).toHaveAccessibleName("1 run: 1 succeeded");
    const many = screen.getByRole("row", { name: /22222222/ });
    expect(within(many).getByText("selector role=web")).toBeInTheDocument();
    expect(within(many).getByRole("img")).toHaveAccessibleName("4 runs: 2 succeeded, 1 failed, 1 skipped");
  });
});
