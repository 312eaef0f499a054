import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { NewJobForm } from "@/components/jobs/new-job-form";
import { AGENTS, POLICY, accepted } from "@/components/jobs/test-fixtures";

// The orchestrator's dry run is stubbed: these tests are about what the form does with its answers.
function setup(action = vi.fn().mockResolvedValue({}), dryRun = vi.fn().mockResolvedValue(accepted(["worker-1"]))) {
  const user = userEvent.setup();
  render(<NewJobForm agents={AGENTS} commands={POLICY} action={action} dryRun={dryRun} />);
  return { user, action, dryRun };
}

async function submitted(action: ReturnType<typeof vi.fn>) {
  await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
  return JSON.parse(String((action.mock.calls[0][1] as FormData).get("job")));
}

describe("NewJobForm", () => {
  it("offers only the whitelisted commands, and every agent with the first online one chosen", () => {
    setup();
    const commands = screen.getByLabelText("Command") as HTMLSelectElement;
    expect(Array.from(commands.options).map((option) => option.value)).toEqual(["echo", "sleep", "uptime", "date"]);
    const boxes = within(screen.getByRole("list", { name: "Agents" })).getAllByRole("checkbox");
    expect(boxes).toHaveLength(4);
    expect(screen.getByRole("checkbox", { name: "worker-1" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "worker-3" })).not.toBeChecked();
    expect(screen.getByTestId("agents-selected")).toHaveTextContent("1 of 4 selected");
  });

  it("asks the orchestrator about the job as it is typed and shows its refusal", async () => {
    const refusal = { error: "Refused by the command policy: argument 1 '5s' violates pattern", type: "policy-violation" };
    const { user, dryRun } = setup(undefined, vi.fn().mockResolvedValue(refusal));
    await user.selectOptions(screen.getByLabelText("Command"), "sleep");
    await user.type(screen.getByLabelText("Arguments"), "5s");
    expect(await screen.findByText(/would refuse this job: .*violates pattern/)).toBeInTheDocument();
    expect(dryRun).toHaveBeenLastCalledWith({
      command: "sleep",
      args: ["5s"],
      timeoutSeconds: 60,
      targets: { agentIds: ["a1b2c3d4-0000"] },
    });
  });

  it("says what the orchestrator would run when it accepts the job", async () => {
    setup();
    await waitFor(() =>
      expect(screen.getByTestId("policy-check")).toHaveTextContent(
        "The orchestrator accepts this job: it runs /usr/bin/echo on 1 agent, 60 s at most each.",
      ),
    );
  });

  it("asks for an agent when none is chosen", async () => {
    const { user, action } = setup();
    await user.click(screen.getByRole("checkbox", { name: "worker-1" }));
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(screen.getByText("Choose at least one agent.")).toBeInTheDocument();
    expect(action).not.toHaveBeenCalled();
  });

  it("submits chosen agents, the arguments split as shown and the defaults", async () => {
    const { user, action } = setup();
    await user.click(screen.getByRole("checkbox", { name: "worker-3" }));
    await user.type(screen.getByLabelText("Arguments"), `hello "big world"`);
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(await submitted(action)).toEqual({
      command: "echo",
      args: ["hello", "big world"],
      timeoutSeconds: 60,
      targets: { agentIds: ["a1b2c3d4-0000", "a1b2c3d4-0002"] },
    });
  });

  it("filters the agent list by hostname or label", async () => {
    const { user } = setup();
    await user.type(screen.getByRole("searchbox", { name: "Find agents" }), "env=staging");
    const boxes = within(screen.getByRole("list", { name: "Agents" })).getAllByRole("checkbox");
    expect(boxes.map((box) => box.id.endsWith("a1b2c3d4-0003"))).toEqual([true]);
  });

  it("previews the online agents the orchestrator resolves a selector to", async () => {
    const { user } = setup(undefined, vi.fn().mockResolvedValue(accepted(["worker-1", "worker-2"])));
    await user.click(screen.getByRole("radio", { name: "Label selector" }));
    const selector = screen.getByLabelText("Selector");
    await user.type(selector, "env=prod,role in (web,api)");
    const preview = await screen.findByTestId("target-preview");
    // worker-3 matches but is offline: selectors pick online agents only
    expect(preview).toHaveTextContent("Matches 2 of 3 online agents now:");
    const matching = Array.from(preview.querySelectorAll("[data-agent]")).map((item) => item.getAttribute("data-agent"));
    expect(matching).toEqual(["worker-1", "worker-2"]);
  });

  it("shows the orchestrator's reading of a malformed selector at the selector", async () => {
    const refusal = { error: "Invalid request: selector: expected a comma or ) at position 13", type: "invalid-request" };
    const { user } = setup(undefined, vi.fn().mockResolvedValue(refusal));
    await user.click(screen.getByRole("radio", { name: "Label selector" }));
    await user.type(screen.getByLabelText("Selector"), "role in (web");
    expect(await screen.findAllByText(/expected a comma or \) at position 13/)).not.toHaveLength(0);
    expect(screen.queryByTestId("target-preview")).not.toBeInTheDocument();
  });

  it("says a selector matches no online agent when the orchestrator finds none", async () => {
    const none = { error: "No agent to run on: selector 'env=qa' matched no online agent", type: "no-targets" };
    const { user } = setup(undefined, vi.fn().mockResolvedValue(none));
    await user.click(screen.getByRole("radio", { name: "Label selector" }));
    await user.type(screen.getByLabelText("Selector"), "env=qa");
    expect(await screen.findByTestId("target-preview")).toHaveTextContent("Matches 0 of 3 online agents now.");
  });

  it("submits a selector with the rollout limits and a retry policy", async () => {
    const { user, action } = setup();
    await user.click(screen.getByRole("radio", { name: "Label selector" }));
    await user.type(screen.getByLabelText("Selector"), "role=web");
    await user.type(screen.getByLabelText("Concurrency"), "50%");
    await user.type(screen.getByLabelText("Max failures"), "1");
    await user.type(screen.getByLabelText("Job timeout (seconds)"), "600");
    expect(screen.queryByLabelText("Backoff between attempts (seconds)")).not.toBeInTheDocument();
    await user.type(screen.getByLabelText("Attempts per run"), "3");
    expect(screen.getByLabelText("Backoff between attempts (seconds)")).toHaveValue(10);
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(await submitted(action)).toEqual({
      command: "echo",
      args: [],
      timeoutSeconds: 60,
      targets: { selector: "role=web" },
      concurrency: "50%",
      maxFailures: 1,
      jobTimeoutSeconds: 600,
      retry: { maxAttempts: 3, backoffSeconds: 10 },
    });
  });

  it("refuses a bad concurrency", async () => {
    const { user, action } = setup();
    await user.type(screen.getByLabelText("Concurrency"), "0");
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(screen.getByText(/Concurrency: enter a whole number from 1/)).toBeInTheDocument();
    expect(screen.getByLabelText("Concurrency")).toHaveFocus();
    expect(action).not.toHaveBeenCalled();
  });

  it("targets all online agents", async () => {
    const { user, action } = setup();
    await user.click(screen.getByRole("radio", { name: "All online agents" }));
    expect(screen.getByTestId("target-preview")).toHaveTextContent("3 agents are online now.");
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect((await submitted(action)).targets).toEqual({ all: true });
  });

  it("offers an argument with a fixed set of values as a select", async () => {
    const { user, action } = setup();
    await user.selectOptions(screen.getByLabelText("Command"), "date");
    const format = screen.getByLabelText("format (optional)") as HTMLSelectElement;
    expect(Array.from(format.options).map((option) => option.value)).toEqual(["", "-u", "-R", "-Iseconds"]);
    expect(screen.queryByLabelText("Arguments")).not.toBeInTheDocument();
    await user.selectOptions(format, "-R");
    await user.click(screen.getByRole("button", { name: /run job/i }));
    const job = await submitted(action);
    expect(job.command).toBe("date");
    expect(job.args).toEqual(["-R"]);
  });

  it("shows the orchestrator's refusal", async () => {
    const { user } = setup(vi.fn().mockResolvedValue({ error: "Policy violation: nope" }));
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(await screen.findByText(/The orchestrator refused the job: Policy violation: nope/)).toBeInTheDocument();
  });
});
