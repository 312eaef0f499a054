import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { RevokeTokenButton } from "@/components/enrollment/revoke-token-button";
import { DeleteUserButton } from "@/components/users/delete-user-button";

const ID = "0123abcd-0000-0000-0000-000000000000";

describe("RevokeTokenButton", () => {
  it("asks for confirmation; backing out revokes nothing", async () => {
    const user = userEvent.setup();
    const action = vi.fn().mockResolvedValue({});
    render(<RevokeTokenButton tokenId={ID} action={action} />);
    await user.click(screen.getByRole("button", { name: "Revoke token 0123abcd" }));
    expect(screen.getByRole("alertdialog")).toHaveTextContent("Revoke token 0123abcd?");
    await user.click(screen.getByRole("button", { name: "Keep it" }));
    expect(action).not.toHaveBeenCalled();
  });

  it("revokes on confirmation and shows the orchestrator's problem detail", async () => {
    const user = userEvent.setup();
    const action = vi.fn().mockResolvedValue({ error: "Token not revocable: the token was already used" });
    render(<RevokeTokenButton tokenId={ID} action={action} />);
    await user.click(screen.getByRole("button", { name: "Revoke token 0123abcd" }));
    await user.click(screen.getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(action).toHaveBeenCalledWith(ID));
    expect(await screen.findByRole("alert")).toHaveTextContent("already used");
  });
});

describe("DeleteUserButton", () => {
  it("is disabled for the signed-in user", () => {
    render(<DeleteUserButton username="admin" self action={vi.fn()} />);
    expect(screen.getByRole("button", { name: "Delete user admin" })).toBeDisabled();
  });

  it("deletes another user after confirmation", async () => {
    const user = userEvent.setup();
    const action = vi.fn().mockResolvedValue({});
    render(<DeleteUserButton username="viewer" self={false} action={action} />);
    await user.click(screen.getByRole("button", { name: "Delete user viewer" }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(action).toHaveBeenCalledWith("viewer"));
  });
});
