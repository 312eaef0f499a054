import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { validateNewUser } from "@/lib/users";
import { CreateUserForm } from "@/components/users/create-user-form";

function setup(action = vi.fn().mockResolvedValue({})) {
  const user = userEvent.setup();
  render(<CreateUserForm action={action} />);
  return { user, action };
}

async function fill(user: ReturnType<typeof userEvent.setup>, values: { username?: string; password?: string; confirm?: string }) {
  if (values.username !== undefined) await user.type(screen.getByLabelText("User name"), values.username);
  if (values.password !== undefined) await user.type(screen.getByLabelText("Password"), values.password);
  if (values.confirm !== undefined) await user.type(screen.getByLabelText("Repeat password"), values.confirm);
}

// Typing is slow under load (CI shares the machine); a generous per-test limit, not a tighter one.
describe("CreateUserForm", { timeout: 20_000 }, () => {
  it("labels its fields and offers the three roles, VIEWER first chosen", () => {
    setup();
    expect(screen.getByLabelText("User name")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
    const role = screen.getByLabelText("Role") as HTMLSelectElement;
    expect(Array.from(role.options).map((option) => option.value)).toEqual(["ADMIN", "OPERATOR", "VIEWER"]);
    expect(role).toHaveValue("VIEWER");
  });

  it("explains an empty form without submitting and focuses the first mistake", async () => {
    const { user, action } = setup();
    await user.click(screen.getByRole("button", { name: /create user/i }));
    expect(screen.getByText("Enter a user name.")).toBeInTheDocument();
    expect(screen.getByText("A password has at least 12 characters.")).toBeInTheDocument();
    expect(screen.getByLabelText("User name")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("User name")).toHaveFocus();
    expect(action).not.toHaveBeenCalled();
  });

  it("refuses characters the orchestrator does not allow in a user name", async () => {
    const { user, action } = setup();
    await fill(user, { username: "bad name!", password: "a-long-password", confirm: "a-long-password" });
    await user.click(screen.getByRole("button", { name: /create user/i }));
    expect(screen.getByText(/letters, digits and \. _ @ - only/)).toBeInTheDocument();
    expect(action).not.toHaveBeenCalled();
  });

  it("refuses a short password and a repeat that differs", async () => {
    const { user, action } = setup();
    await fill(user, { username: "viewer", password: "short", confirm: "short" });
    await user.click(screen.getByRole("button", { name: /create user/i }));
    expect(screen.getByText("A password has at least 12 characters.")).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveFocus();

    await user.clear(screen.getByLabelText("Password"));
    await user.type(screen.getByLabelText("Password"), "a-long-password");
    expect(screen.getByText("The passwords do not match.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: /create user/i }));
    expect(action).not.toHaveBeenCalled();
  });

  it("submits a valid user with the chosen role, without the repeated password", async () => {
    const { user, action } = setup(vi.fn().mockResolvedValue({ created: { username: "ops", role: "OPERATOR", createdAt: "2026-01-01T00:00:00Z" } }));
    await fill(user, { username: " ops ", password: "correct horse battery", confirm: "correct horse battery" });
    await user.selectOptions(screen.getByLabelText("Role"), "OPERATOR");
    await user.click(screen.getByRole("button", { name: /create user/i }));
    await waitFor(() => expect(action).toHaveBeenCalledTimes(1));
    const form = action.mock.calls[0][1] as FormData;
    expect(Object.fromEntries(form)).toEqual({ username: "ops", password: "correct horse battery", role: "OPERATOR" });
    expect(await screen.findByText("Created ops (OPERATOR).")).toBeInTheDocument();
    expect(screen.getByLabelText("User name")).toHaveValue("");
  });

  it("shows the orchestrator's refusal", async () => {
    const { user } = setup(vi.fn().mockResolvedValue({ error: "User exists: a user named 'ops' already exists" }));
    await fill(user, { username: "ops", password: "correct horse battery", confirm: "correct horse battery" });
    await user.click(screen.getByRole("button", { name: /create user/i }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already exists");
  });
});

describe("validateNewUser", () => {
  it("mirrors the orchestrator's limits", () => {
    expect(validateNewUser({ username: "a".repeat(64), password: "x".repeat(12), role: "ADMIN" })).toEqual({});
    expect(validateNewUser({ username: "a".repeat(65), password: "x".repeat(12), role: "ADMIN" }).username).toBeDefined();
    expect(validateNewUser({ username: "a@b.c-d_e", password: "x".repeat(1025), role: "VIEWER" })).toEqual({
      password: "A password has at most 1024 characters.",
    });
    expect(validateNewUser({ username: "a", password: "x".repeat(12), role: "ROOT" }).role).toBe("Choose a role.");
  });
});
