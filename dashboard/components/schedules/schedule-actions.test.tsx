import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { ScheduleActions } from "@/components/schedules/schedule-actions";

describe("ScheduleActions", () => {
  it("pauses an active schedule and triggers it now", async () => {
    const user = userEvent.setup();
    const change = vi.fn().mockResolvedValue({});
    render(<ScheduleActions id="s1" name="nightly" paused={false} change={change} />);
    await user.click(screen.getByRole("button", { name: "Pause nightly" }));
    await user.click(screen.getByRole("button", { name: "Trigger nightly now" }));
    await waitFor(() => expect(change.mock.calls).toEqual([["s1", "pause"], ["s1", "trigger"]]));
  });

  it("resumes a paused schedule", async () => {
    const user = userEvent.setup();
    const change = vi.fn().mockResolvedValue({});
    render(<ScheduleActions id="s1" name="nightly" paused change={change} />);
    await user.click(screen.getByRole("button", { name: "Resume nightly" }));
    await waitFor(() => expect(change).toHaveBeenCalledWith("s1", "resume"));
  });

  it("deletes only after confirmation, and shows a refusal", async () => {
    const user = userEvent.setup();
    const change = vi.fn().mockResolvedValue({ error: "Schedule not found" });
    render(<ScheduleActions id="s1" name="nightly" paused={false} change={change} />);
    await user.click(screen.getByRole("button", { name: "Delete nightly" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("Delete the schedule nightly?");
    await user.click(screen.getByRole("button", { name: "Keep it" }));
    expect(change).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Delete nightly" }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(change).toHaveBeenCalledWith("s1", "delete"));
    expect(await screen.findByRole("alert")).toHaveTextContent("Schedule not found");
  });
});
