import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { CreateTokenForm } from "@/components/enrollment/create-token-form";

describe("CreateTokenForm", () => {
  it("sends the labels the enrolled agent gets", async () => {
    const user = userEvent.setup();
    const action = vi.fn().mockResolvedValue({});
    render(<CreateTokenForm action={action} />);
    await user.type(screen.getByLabelText("Labels (optional)"), "env=prod, role=web");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const form = action.mock.calls[0][1] as FormData;
    expect(form.get("labels")).toBe("env=prod, role=web");
    expect(form.get("ttlSeconds")).toBe("3600");
  });

  it("refuses malformed labels before submitting", async () => {
    const user = userEvent.setup();
    render(<CreateTokenForm action={vi.fn()} />);
    await user.type(screen.getByLabelText("Labels (optional)"), "env=prod,,");
    expect(screen.getByText(/Labels: there is an empty entry/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create token" })).toBeDisabled();
  });
});
