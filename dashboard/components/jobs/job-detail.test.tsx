import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import type { Job } from "@/lib/api/types";
import { permissionsFor } from "@/lib/auth/permissions";
import { JobDetail } from "@/components/jobs/job-detail";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh: vi.fn() }) }));

const running: Job = {
  id: "0f1e2d3c-4b5a-6978-8899-aabbccddeeff",
  agentId: "agent-1",
  command: "sleep",
  args: ["20"],
  timeoutSeconds: 60,
  state: "RUNNING",
  exitCode: null,
  stdout: null,
  stderr: null,
  outputTruncated: false,
  error: null,
  createdBy: "admin",
  createdAt: "2026-11-25T10:00:00Z",
  dispatchedAt: "2026-11-25T10:00:00Z",
  startedAt: "2026-11-25T10:00:01Z",
  finishedAt: null,
  durationMillis: null,
  progress: { elapsedMillis: 4200, outputBytes: 6, tail: "tick 1" },
  workflowId: "job-0f1e2d3c",
  temporalUrl: "http://localhost:8233/namespaces/default/workflows/job-0f1e2d3c",
};

function renderAs(roles: ("ADMIN" | "OPERATOR" | "VIEWER")[], job: Job = running) {
  vi.stubGlobal("fetch", vi.fn().mockResolvedValue(new Response(JSON.stringify(job))));
  render(<JobDetail initialJob={job} agentName="worker-1" permissions={permissionsFor(roles)} cancel={vi.fn()} />);
}

describe("JobDetail", () => {
  it("lets an operator cancel a running job", () => {
    renderAs(["OPERATOR"]);
    expect(screen.getByRole("button", { name: /cancel job/i })).toBeInTheDocument();
  });

  it("shows a viewer no cancel control", () => {
    renderAs(["VIEWER"]);
    expect(screen.queryByRole("button", { name: /cancel/i })).not.toBeInTheDocument();
    expect(screen.getByTestId("job-live-output")).toHaveTextContent("tick 1");
  });

  it("offers no cancel once the job has ended, and shows its output and exit code", () => {
    renderAs(["ADMIN"], { ...running, state: "SUCCEEDED", exitCode: 0, stdout: "hello\n", progress: null, durationMillis: 12 });
    expect(screen.queryByRole("button", { name: /cancel/i })).not.toBeInTheDocument();
    expect(screen.getByTestId("job-stdout")).toHaveTextContent("hello");
    expect(screen.getByTestId("job-exit-code")).toHaveTextContent("0");
    expect(screen.getByRole("link", { name: /history in temporal/i })).toHaveAttribute("href", running.temporalUrl);
  });
});
