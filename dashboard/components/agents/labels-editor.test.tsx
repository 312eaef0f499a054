import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { LabelsEditor } from "@/components/agents/labels-editor";

describe("LabelsEditor", () => {
  it("shows labels as chips and no edit control to a non-admin", () => {
    render(<LabelsEditor agentId="a1" labels={{ role: "web", env: "prod" }} canEdit={false} save={vi.fn()} />);
    expect(screen.getAllByRole("listitem").map((item) => item.textContent)).toEqual(["env=prod", "role=web"]);
    expect(screen.queryByRole("button", { name: "Edit labels" })).not.toBeInTheDocument();
  });

  it("lets an admin replace the labels", async () => {
    const user = userEvent.setup();
    const save = vi.fn().mockResolvedValue({});
    render(<LabelsEditor agentId="a1" labels={{ env: "prod" }} canEdit save={save} />);
    await user.click(screen.getByRole("button", { name: "Edit labels" }));
    const input = screen.getByLabelText("Labels");
    expect(input).toHaveValue("env=prod");
    await user.clear(input);
    await user.type(input, "env=staging, role=db");
    await user.click(screen.getByRole("button", { name: "Save labels" }));
    await waitFor(() => expect(save).toHaveBeenCalledWith("a1", { env: "staging", role: "db" }));
    expect(await screen.findByRole("button", { name: "Edit labels" })).toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
  });

  it("explains malformed labels and does not save them", async () => {
    const user = userEvent.setup();
    const save = vi.fn();
    render(<LabelsEditor agentId="a1" labels={{}} canEdit save={save} />);
    expect(screen.getByText("No labels.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Edit labels" }));
    await user.type(screen.getByLabelText("Labels"), "env");
    expect(screen.getByText(/"env" has no value/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save labels" })).toBeDisabled();
  });

  it("keeps the editor open with the orchestrator's refusal", async () => {
    const user = userEvent.setup();
    render(<LabelsEditor agentId="a1" labels={{}} canEdit save={vi.fn().mockResolvedValue({ error: "forbidden" })} />);
    await user.click(screen.getByRole("button", { name: "Edit labels" }));
    await user.type(screen.getByLabelText("Labels"), "a=b");
    await user.click(screen.getByRole("button", { name: "Save labels" }));
    expect(await screen.findByText("The orchestrator refused the labels: forbidden")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Labels" })).toHaveValue("a=b");
  });
});
