import { render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { permissionsFor } from "@/lib/auth/permissions";
import { AppNav } from "@/components/layout/app-nav";

vi.mock("next/navigation", () => ({ usePathname: () => "/jobs/123" }));

describe("AppNav", () => {
  it("hides administration from a viewer", () => {
    render(<AppNav permissions={permissionsFor(["VIEWER"])} />);
    expect(screen.queryByRole("link", { name: /enrollment/i })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /users/i })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /audit/i })).not.toBeInTheDocument();
    expect(screen.getByRole("link", { name: /jobs/i })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /schedules/i })).toHaveAttribute("href", "/schedules");
  });

  it("shows an admin the enrollment page and marks the current section", () => {
    render(<AppNav permissions={permissionsFor(["ADMIN"])} />);
    expect(screen.getByRole("link", { name: /enrollment/i })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /users/i })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /audit/i })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: /jobs/i })).toHaveAttribute("aria-current", "page");
    expect(screen.getByRole("link", { name: /overview/i })).not.toHaveAttribute("aria-current");
  });
});
