import Link from "next/link";
import { LogOut } from "lucide-react";

import { logout } from "@/lib/auth/actions";
import type { Session } from "@/lib/auth/session";
import { AppNav } from "@/components/layout/app-nav";
import { LiveIndicator } from "@/components/layout/live-indicator";
import { ThemeToggle } from "@/components/layout/theme-toggle";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";

export function AppHeader({ session }: { session: Pick<Session, "username" | "roles" | "permissions"> }) {
  return (
    <header className="bg-background/95 supports-[backdrop-filter]:bg-background/60 sticky top-0 z-40 border-b backdrop-blur">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
        <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
          <svg viewBox="0 0 32 32" className="size-6" aria-hidden="true">
            <rect width="32" height="32" rx="7" className="fill-primary" />
            <path
              d="M7 23V9l9 8 9-8v14"
              fill="none"
              className="stroke-primary-foreground"
              strokeWidth="3"
              strokeLinejoin="round"
              strokeLinecap="round"
            />
          </svg>
          MAMOS
        </Link>
        <AppNav permissions={session.permissions} />
        <div className="ml-auto flex items-center gap-3">
          <LiveIndicator />
          <span className="text-sm" data-testid="current-user">
            {session.username}{" "}
            {session.roles.map((role) => (
              <Badge key={role} variant="outline" className="ml-1">
                {role}
              </Badge>
            ))}
          </span>
          <ThemeToggle />
          <form action={logout}>
            <Button type="submit" variant="ghost" size="sm">
              <LogOut aria-hidden="true" />
              Sign out
            </Button>
          </form>
        </div>
      </div>
    </header>
  );
}
