import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { AGENT_STATUSES, JOB_STATES } from "@/lib/api/types";
import { AgentStatusBadge, JobStateBadge, stateLabel } from "@/components/status/status-badge";

describe("status badges", () => {
  it("names the state in words, not by colour alone", () => {
    render(<JobStateBadge state="TIMED_OUT" />);
    expect(screen.getByText("Timed out")).toBeInTheDocument();
  });

  it("gives every agent status and job state a tone", () => {
    for (const status of AGENT_STATUSES) {
      const { container, unmount } = render(<AgentStatusBadge status={status} />);
      expect(container.querySelector("[data-tone]")?.getAttribute("data-tone")).toBeTruthy();
      unmount();
    }
    for (const state of JOB_STATES) {
      const { container, unmount } = render(<JobStateBadge state={state} />);
      expect(container.querySelector("[data-tone]")?.getAttribute("data-tone")).toBeTruthy();
      unmount();
    }
  });

  it("shows success, danger and activity differently", () => {
    const tone = (element: HTMLElement) => element.closest("[data-tone]")?.getAttribute("data-tone");
    render(
      <>
        <AgentStatusBadge status="ONLINE" />
        <AgentStatusBadge status="OFFLINE" />
        <JobStateBadge state="RUNNING" />
        <JobStateBadge state="FAILED" />
      </>,
    );
    expect(tone(screen.getByText("Online"))).toBe("success");
    expect(tone(screen.getByText("Offline"))).toBe("danger");
    expect(tone(screen.getByText("Running"))).toBe("active");
    expect(tone(screen.getByText("Failed"))).toBe("danger");
  });

  it("turns state names into labels", () => {
    expect(stateLabel("AGENT_OFFLINE")).toBe("Agent offline");
  });
});
