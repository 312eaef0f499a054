import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import type { CommandList } from "@/lib/api/types";
import { NewJobForm } from "@/components/jobs/new-job-form";

// The orchestrator's default policy, as GET /api/v1/commands returns it (a subset).
const POLICY: CommandList = {
  maxTimeoutSeconds: 3600,
  items: [
    { name: "echo", description: "Print the arguments", executable: "/usr/bin/echo", minArgs: 0, maxArgs: 32, argPattern: null, pathPrefixes: [] },
    { name: "sleep", description: "Wait", executable: "/usr/bin/sleep", minArgs: 1, maxArgs: 1, argPattern: "[0-9]{1,5}(\\.[0-9]{1,3})?", pathPrefixes: [] },
    { name: "uptime", description: "Uptime", executable: "/usr/bin/uptime", minArgs: 0, maxArgs: 0, argPattern: null, pathPrefixes: [] },
  ],
};
const AGENTS = [{ id: "a1b2c3d4-0000", hostname: "worker-1" }];

function setup(action = vi.fn().mockResolvedValue({})) {
  const user = userEvent.setup();
  render(<NewJobForm agents={AGENTS} commands={POLICY} action={action} />);
  return { user, action };
}

describe("NewJobForm", () => {
  it("offers only the whitelisted commands and online agents", () => {
    setup();
    const commands = screen.getByLabelText("Command") as HTMLSelectElement;
    expect(Array.from(commands.options).map((option) => option.value)).toEqual(["echo", "sleep", "uptime"]);
    const agents = screen.getByLabelText("Agent") as HTMLSelectElement;
    expect(Array.from(agents.options).map((option) => option.value)).toEqual(["a1b2c3d4-0000"]);
  });

  it("refuses arguments that do not match the command's pattern, without submitting", async () => {
    const { user, action } = setup();
    await user.selectOptions(screen.getByLabelText("Command"), "sleep");
    await user.type(screen.getByLabelText("Arguments"), "5s");
    expect(screen.getByText(/does not match/)).toBeInTheDocument();
    expect(screen.getByLabelText("Arguments")).toHaveAttribute("aria-invalid", "true");
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(action).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Arguments")).toHaveFocus();
  });

  it("enforces the argument count", async () => {
    const { user, action } = setup();
    await user.selectOptions(screen.getByLabelText("Command"), "sleep");
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(screen.getByText("sleep takes exactly 1 argument; got 0.")).toBeInTheDocument();
    expect(action).not.toHaveBeenCalled();
  });

  it("rejects a timeout above the policy's maximum", async () => {
    const { user, action } = setup();
    const timeout = screen.getByLabelText("Timeout (seconds)");
    await user.clear(timeout);
    await user.type(timeout, "7200");
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(screen.getByText(/from 1 to 3600/)).toBeInTheDocument();
    expect(action).not.toHaveBeenCalled();
  });

  it("submits valid input with the arguments split as shown", async () => {
    const { user, action } = setup();
    await user.type(screen.getByLabelText("Arguments"), `hello "big world"`);
    await user.click(screen.getByRole("button", { name: /run job/i }));
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const form = action.mock.calls[0][1] as FormData;
    expect(form.get("agentId")).toBe("a1b2c3d4-0000");
    expect(form.get("command")).toBe("echo");
    expect(JSON.parse(String(form.get("args")))).toEqual(["hello", "big world"]);
    expect(form.get("timeoutSeconds")).toBe("60");
  });

  it("shows the orchestrator's refusal", async () => {
    const { user } = setup(vi.fn().mockResolvedValue({ error: "Policy violation: nope" }));
    await user.click(screen.getByRole("button", { name: /run job/i }));
    expect(await screen.findByText(/The orchestrator refused the job: Policy violation: nope/)).toBeInTheDocument();
  });
});
