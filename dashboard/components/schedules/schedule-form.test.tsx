import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ScheduleForm } from "@/components/schedules/schedule-form";
import { AGENTS, POLICY, accepted } from "@/components/jobs/test-fixtures";

const FIRINGS = { ok: { cron: "*/15 * * * *", nextFirings: ["2026-12-02T19:30:00Z", "2026-12-02T19:45:00Z"] } };

// The orchestrator's checks are stubbed: these tests are about what the form does with the answers.
function setup(
  action = vi.fn().mockResolvedValue({}),
  previewCron = vi.fn().mockResolvedValue(FIRINGS),
  dryRun = vi.fn().mockResolvedValue(accepted(["worker-1", "worker-2"])),
) {
  const user = userEvent.setup();
  render(<ScheduleForm agents={AGENTS} commands={POLICY} action={action} dryRun={dryRun} previewCron={previewCron} />);
  return { user, action, previewCron };
}

describe("ScheduleForm", () => {
  it("shows the next firings Temporal computes for the cron being typed", async () => {
    const { user, previewCron } = setup();
    await user.type(screen.getByLabelText("Cron (UTC)"), "*/15 * * * *");
    await waitFor(() =>
      expect(screen.getByTestId("cron-hint")).toHaveTextContent(
        "Next runs: 2026-12-02 19:30:00 UTC, 2026-12-02 19:45:00 UTC.",
      ),
    );
    expect(previewCron).toHaveBeenLastCalledWith("*/15 * * * *");
  });

  it("shows Temporal's refusal of a cron it cannot read", async () => {
    const refusal = { error: "Invalid request: Temporal refused the schedule's cron or spec: Minute is not in range [0-59]" };
    const { user } = setup(undefined, vi.fn().mockResolvedValue(refusal));
    await user.type(screen.getByLabelText("Cron (UTC)"), "61 * * * *");
    expect(await screen.findByText(/Cron: .*Minute is not in range \[0-59\]/)).toBeInTheDocument();
    expect(screen.getByLabelText("Cron (UTC)")).toHaveAttribute("aria-invalid", "true");
  });

  it("needs a name, a cron and a valid job before submitting", async () => {
    const { user, action } = setup();
    await user.click(screen.getByRole("button", { name: "Create schedule" }));
    expect(action).not.toHaveBeenCalled();
    expect(screen.getByText("Give the schedule a name.")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveFocus();
    // the job fields are the new-job form's, checked the same way
    expect(screen.getByText("Choose at least one agent.")).toBeInTheDocument();
  });

  it("submits the name, the cron and the job built by the shared job fields", async () => {
    const { user, action } = setup();
    await user.type(screen.getByLabelText("Name"), "nightly uptime");
    await user.type(screen.getByLabelText("Cron (UTC)"), "30 2 * * *");
    await user.click(screen.getByRole("radio", { name: "Label selector" }));
    await user.type(screen.getByLabelText("Selector"), "env=prod");
    await waitFor(() => expect(screen.getByTestId("target-preview")).toHaveTextContent("Matches 2 of 3 online agents now:"));
    await user.selectOptions(screen.getByLabelText("Command"), "uptime");
    await user.type(screen.getByLabelText("Concurrency"), "1");
    await user.click(screen.getByRole("button", { name: "Create schedule" }));
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const form = action.mock.calls[0][1] as FormData;
    expect(form.get("name")).toBe("nightly uptime");
    expect(form.get("cron")).toBe("30 2 * * *");
    expect(JSON.parse(String(form.get("job")))).toEqual({
      command: "uptime",
      args: [],
      timeoutSeconds: 60,
      targets: { selector: "env=prod" },
      concurrency: 1,
    });
  }, 15_000); // much typing, slow on a loaded machine

  it("shows the orchestrator's refusal", async () => {
    const { user } = setup(vi.fn().mockResolvedValue({ error: "cron: bad" }));
    await user.type(screen.getByLabelText("Name"), "x");
    await user.type(screen.getByLabelText("Cron (UTC)"), "@hourly");
    await user.click(screen.getByRole("radio", { name: "All online agents" }));
    await user.click(screen.getByRole("button", { name: "Create schedule" }));
    expect(await screen.findByText("The orchestrator refused the schedule: cron: bad")).toBeInTheDocument();
  });
});
