import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ScheduleForm } from "@/components/schedules/schedule-form";
import { AGENTS, POLICY } from "@/components/jobs/test-fixtures";

function setup(action = vi.fn().mockResolvedValue({})) {
  const user = userEvent.setup();
  render(<ScheduleForm agents={AGENTS} commands={POLICY} action={action} />);
  return { user, action };
}

describe("ScheduleForm", () => {
  it("explains the cron expression while it is typed", async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText("Cron (UTC)"), "*/15 * * * *");
    expect(screen.getByTestId("cron-hint")).toHaveTextContent("Runs every 15 minutes.");
    await user.clear(screen.getByLabelText("Cron (UTC)"));
    await user.type(screen.getByLabelText("Cron (UTC)"), "61 * * * *");
    expect(screen.getByText("Cron: minute: 61 is out of range 0-59.")).toBeInTheDocument();
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
    expect(screen.getByTestId("target-preview")).toHaveTextContent("Matches 2 of 3 online agents now:");
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
  });

  it("shows the orchestrator's refusal", async () => {
    const { user } = setup(vi.fn().mockResolvedValue({ error: "cron: bad" }));
    await user.type(screen.getByLabelText("Name"), "x");
    await user.type(screen.getByLabelText("Cron (UTC)"), "@hourly");
    await user.click(screen.getByRole("radio", { name: "All online agents" }));
    await user.click(screen.getByRole("button", { name: "Create schedule" }));
    expect(await screen.findByText("The orchestrator refused the schedule: cron: bad")).toBeInTheDocument();
  });
});
