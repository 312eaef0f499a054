import type { Metadata } from "next";
import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";

import { listAudit, settle } from "@/lib/api/queries";
import { requireSession } from "@/lib/auth/session";
import { formatDateTime } from "@/lib/format";
import { ErrorAlert } from "@/components/layout/error-alert";
import { Forbidden } from "@/components/layout/forbidden";
import { PageHeader } from "@/components/layout/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Audit" };

const PAGE_SIZE = 50;

export default async function AuditPage({ searchParams }: PageProps<"/audit">) {
  const session = await requireSession();
  if (!session.permissions.readAudit) {
    return (
      <>
        <PageHeader title="Audit" />
        <Forbidden>Only administrators can read the audit log.</Forbidden>
      </>
    );
  }
  const { page: pageParam } = await searchParams;
  const page = Math.max(0, Number.parseInt(typeof pageParam === "string" ? pageParam : "", 10) || 0);
  const events = await settle(listAudit(page, PAGE_SIZE));
  const total = events.value?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const items = events.value?.items ?? [];

  return (
    <>
      <PageHeader title="Audit" description="What was done through the orchestrator's API, and by whom; newest first." />
      {events.error && <ErrorAlert title="Cannot read the audit log" message={events.error} />}
      <Card>
        <CardContent className="grid gap-4">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>When</TableHead>
                <TableHead>Actor</TableHead>
                <TableHead>Action</TableHead>
                <TableHead>Target</TableHead>
                <TableHead>Detail</TableHead>
                <TableHead>Source IP</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {items.length === 0 && (
                <TableRow>
                  <TableCell colSpan={6} className="text-muted-foreground py-6 text-center">
                    No events{page > 0 ? " on this page" : " yet"}.
                  </TableCell>
                </TableRow>
              )}
              {items.map((event) => (
                <TableRow key={event.id} data-audit-action={event.action}>
                  <TableCell className="whitespace-nowrap">{formatDateTime(event.at)}</TableCell>
                  <TableCell className="max-w-40 truncate" title={event.actor ?? undefined}>
                    {event.actor ?? "—"}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{event.action}</TableCell>
                  <TableCell className="max-w-40 truncate font-mono text-xs" title={event.target ?? undefined}>
                    {event.target ?? "—"}
                  </TableCell>
                  <TableCell className="max-w-64 truncate" title={event.detail ?? undefined}>
                    {event.detail ?? "—"}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{event.sourceIp ?? "—"}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <nav aria-label="Pages" className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className="text-muted-foreground">
              Page {page + 1} of {pages} · {total} events
            </span>
            <span className="flex gap-2">
              {page > 0 ? (
                <Button asChild variant="outline" size="sm">
                  <Link href={`/audit?page=${page - 1}`} rel="prev">
                    <ChevronLeft aria-hidden="true" /> Newer
                  </Link>
                </Button>
              ) : (
                <Button variant="outline" size="sm" disabled>
                  <ChevronLeft aria-hidden="true" /> Newer
                </Button>
              )}
              {page + 1 < pages ? (
                <Button asChild variant="outline" size="sm">
                  <Link href={`/audit?page=${page + 1}`} rel="next">
                    Older <ChevronRight aria-hidden="true" />
                  </Link>
                </Button>
              ) : (
                <Button variant="outline" size="sm" disabled>
                  Older <ChevronRight aria-hidden="true" />
                </Button>
              )}
            </span>
          </nav>
        </CardContent>
      </Card>
    </>
  );
}
