import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { Job, Page, Run } from "@/lib/api/types";
import { permissionsFor } from "@/lib/auth/permissions";
import { JobDetail } from "@/components/jobs/job-detail";
import { RUNNING_JOB } from "@/components/jobs/test-fixtures";

vi.mock("next/navigation", () => ({ useRouter: () => ({ push: vi.fn(), refresh: vi.fn() }) }));

const running = RUNNING_JOB;

const fanOut: Job = {
  ...running,
  command: "echo",
  args: ["hi"],
  state: "FAILED",
  agentId: null,
  targets: { selector: "role=web" },
  concurrency: 2,
  maxFailures: 1,
  runCount: 3,
  summary: { SUCCEEDED: 1, FAILED: 1, SKIPPED: 1 },
  progress: null,
  finishedAt: "2026-11-25T10:00:09Z",
  durationMillis: 8000,
};

function run(overrides: Partial<Run>): Run {
  return {
    jobId: fanOut.id,
    agentId: "agent-1",
    hostname: "web-1",
    state: "SUCCEEDED",
    attempt: 1,
    exitCode: 0,
    stdout: "hi\n",
    stderr: "",
    outputTruncated: false,
    error: null,
    dispatchedAt: null,
    startedAt: "2026-11-25T10:00:01Z",
    finishedAt: "2026-11-25T10:00:02Z",
    durationMillis: 900,
    progress: null,
    workflowId: "run-1",
    temporalUrl: "http://localhost:8233/run-1",
    ...overrides,
  };
}

const RUNS: Run[] = [
  run({}),
  run({ agentId: "agent-2", hostname: "web-2", state: "FAILED", exitCode: 3, stdout: "", stderr: "boom" }),
  run({ agentId: "agent-3", hostname: "web-3", state: "SKIPPED", exitCode: null, stdout: null, stderr: null, startedAt: null, durationMillis: null, error: "failure threshold reached" }),
];

const page = (items: Run[]): Page<Run> => ({ items, page: 0, size: 50, total: items.length });

/** Answers the job page's reads: the job, and its runs filtered by ?state. */
function stubFetch(job: Job) {
  const fetch = vi.fn(async (url: string) => {
    if (url.includes("/runs?")) {
      const state = new URL(url, "http://x").searchParams.get("state");
      return new Response(JSON.stringify(page(RUNS.filter((r) => !state || r.state === state))));
    }
    return new Response(JSON.stringify(job));
  });
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

function renderAs(roles: ("ADMIN" | "OPERATOR" | "VIEWER")[], job: Job = running) {
  const fetch = stubFetch(job);
  render(<JobDetail initialJob={job} hostnames={{ "agent-1": "worker-1" }} permissions={permissionsFor(roles)} cancel={vi.fn()} />);
  return fetch;
}

afterEach(() => vi.unstubAllGlobals());

describe("JobDetail with one run", () => {
  it("lets an operator cancel a running job", () => {
    renderAs(["OPERATOR"]);
    expect(screen.getByRole("button", { name: /cancel job/i })).toBeInTheDocument();
  });

  it("shows a viewer no cancel control, and the live output", () => {
    renderAs(["VIEWER"]);
    expect(screen.queryByRole("button", { name: /cancel/i })).not.toBeInTheDocument();
    expect(screen.getByTestId("job-live-output")).toHaveTextContent("tick 1");
    expect(screen.getByRole("link", { name: "worker-1" })).toHaveAttribute("href", "/agents/agent-1");
  });

  it("offers no cancel once the job has ended, and shows its output and exit code", () => {
    renderAs(["ADMIN"], { ...running, state: "SUCCEEDED", exitCode: 0, stdout: "hello\n", progress: null, durationMillis: 12 });
    expect(screen.queryByRole("button", { name: /cancel/i })).not.toBeInTheDocument();
    expect(screen.getByTestId("job-stdout")).toHaveTextContent("hello");
    expect(screen.getByTestId("job-exit-code")).toHaveTextContent("0");
    expect(screen.getByRole("link", { name: /history in temporal/i })).toHaveAttribute("href", running.temporalUrl);
    expect(screen.queryByRole("heading", { name: "Runs" })).not.toBeInTheDocument();
  });
});

describe("JobDetail with many runs", () => {
  it("shows the summary by state, the target and the rollout", async () => {
    renderAs(["VIEWER"], fanOut);
    const summary = screen.getByTestId("run-summary-badges");
    expect(within(summary).getAllByRole("listitem").map((item) => item.textContent)).toEqual(["Succeeded1", "Failed1", "Skipped1"]);
    expect(screen.getByTestId("job-targets")).toHaveTextContent("selector role=web");
    expect(screen.getByTestId("job-run-count")).toHaveTextContent("3");
    expect(screen.getByText("Concurrency").nextSibling).toHaveTextContent("2");
    expect(screen.getByText("Max failures").nextSibling).toHaveTextContent("1");
    expect(screen.queryByTestId("job-exit-code")).not.toBeInTheDocument();
    expect(screen.getByRole("img", { name: "3 runs: 1 succeeded, 1 failed, 1 skipped" })).toBeInTheDocument();
    await screen.findByRole("link", { name: "web-3" });
  });

  it("lists every run with its hostname, state, attempt and exit code", async () => {
    renderAs(["OPERATOR"], fanOut);
    const skipped = (await screen.findByRole("link", { name: "web-3" })).closest("tr")!;
    expect(skipped).toHaveAttribute("data-state", "SKIPPED");
    expect(within(skipped).getByText("Skipped")).toBeInTheDocument();
    const failed = screen.getByRole("link", { name: "web-2" }).closest("tr")!;
    expect(within(failed).getAllByRole("cell").map((cell) => cell.textContent).slice(1, 4)).toEqual(["Failed", "1", "3"]);
    expect(screen.getByText("3 runs")).toBeInTheDocument();
  });

  it("expands a run to show its output", async () => {
    const user = userEvent.setup();
    renderAs(["VIEWER"], fanOut);
    await user.click(await screen.findByRole("button", { name: "Show output of web-2" }));
    expect(screen.getByTestId("run-stderr")).toHaveTextContent("boom");
    expect(screen.getByRole("button", { name: "Hide output of web-2" })).toHaveAttribute("aria-expanded", "true");
    await user.click(screen.getByRole("button", { name: "Show output of web-3" }));
    expect(screen.getByText("failure threshold reached")).toBeInTheDocument();
  });

  it("filters runs by state through the API", async () => {
    const user = userEvent.setup();
    const fetch = renderAs(["VIEWER"], fanOut);
    await screen.findByRole("link", { name: "web-3" });
    await user.selectOptions(screen.getByLabelText("State"), "SKIPPED");
    await waitFor(() => expect(screen.queryByRole("link", { name: "web-1" })).not.toBeInTheDocument());
    expect(screen.getByRole("link", { name: "web-3" })).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledWith(`/api/jobs/${fanOut.id}/runs?page=0&size=50&state=SKIPPED`, expect.anything());
    expect(screen.getByText("1 run skipped")).toBeInTheDocument();
  });

  it("says the cancel stops every run", () => {
    renderAs(["OPERATOR"], { ...fanOut, state: "RUNNING", finishedAt: null, durationMillis: null });
    expect(screen.getByRole("button", { name: /cancel job/i })).toHaveAttribute("title", expect.stringMatching(/every running run/));
  });
});
