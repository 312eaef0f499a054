"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Activity, BarChart3, CalendarClock, KeyRound, LayoutDashboard, ScrollText, Server, Users } from "lucide-react";

import type { Permissions } from "@/lib/auth/permissions";
import { cn } from "@/lib/utils";

interface NavItem {
  href: string;
  label: string;
  icon: React.ComponentType<{ className?: string; "aria-hidden"?: boolean }>;
  visible?: (permissions: Permissions) => boolean;
}

const ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: LayoutDashboard },
  { href: "/agents", label: "Agents", icon: Server },
  { href: "/jobs", label: "Jobs", icon: Activity },
  { href: "/schedules", label: "Schedules", icon: CalendarClock },
  { href: "/enrollment", label: "Enrollment", icon: KeyRound, visible: (p) => p.manageEnrollment },
  { href: "/users", label: "Users", icon: Users, visible: (p) => p.manageUsers },
  { href: "/audit", label: "Audit", icon: ScrollText, visible: (p) => p.readAudit },
  { href: "/grafana", label: "Grafana", icon: BarChart3 },
];

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

/** The main navigation; items a role cannot use are not shown. */
export function AppNav({ permissions }: { permissions: Permissions }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
      {ITEMS.filter((item) => !item.visible || item.visible(permissions)).map((item) => {
        const active = isActive(pathname, item.href);
        const Icon = item.icon;
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "focus-visible:ring-ring/50 inline-flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium outline-none focus-visible:ring-[3px]",
              active
                ? "bg-secondary text-secondary-foreground"
                : "text-muted-foreground hover:bg-accent hover:text-accent-foreground",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
