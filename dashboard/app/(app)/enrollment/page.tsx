import type { Metadata } from "next";
import Link from "next/link";

import { listEnrollmentTokens, settle } from "@/lib/api/queries";
import { requireSession } from "@/lib/auth/session";
import { createEnrollmentToken, revokeEnrollmentToken } from "@/lib/enrollment-actions";
import { formatDateTime } from "@/lib/format";
import { LabelChips } from "@/components/agents/label-chips";
import { CreateTokenForm } from "@/components/enrollment/create-token-form";
import { RevokeTokenButton } from "@/components/enrollment/revoke-token-button";
import { Forbidden } from "@/components/layout/forbidden";
import { ErrorAlert } from "@/components/layout/error-alert";
import { PageHeader } from "@/components/layout/page-header";
import { StatusBadge, type Tone } from "@/components/status/status-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";

export const metadata: Metadata = { title: "Enrollment" };

const TOKEN_TONE: Record<string, Tone> = { ACTIVE: "success", USED: "muted", EXPIRED: "waiting", REVOKED: "danger" };

export default async function EnrollmentPage() {
  const session = await requireSession();
  if (!session.permissions.manageEnrollment) {
    return (
      <>
        <PageHeader title="Enrollment" />
        <Forbidden>Only administrators can enroll agents.</Forbidden>
      </>
    );
  }
  const tokens = await settle(listEnrollmentTokens());
  return (
    <>
      <PageHeader
        title="Enrollment"
        description="One-time tokens with which new agents register. A token works once and expires."
      />
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>New token</h2>
          </CardTitle>
        </CardHeader>
        <CardContent>
          <CreateTokenForm action={createEnrollmentToken} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>
            <h2>Tokens</h2>
          </CardTitle>
          <CardDescription>
            Secrets are never stored or shown again. An unused token can be revoked.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {tokens.error && <ErrorAlert title="Cannot read tokens" message={tokens.error} />}
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Token</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>By</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>Used</TableHead>
                <TableHead>Agent</TableHead>
                <TableHead>Labels</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {(tokens.value ?? []).length === 0 && (
                <TableRow>
                  <TableCell colSpan={9} className="text-muted-foreground py-6 text-center">
                    No tokens yet.
                  </TableCell>
                </TableRow>
              )}
              {(tokens.value ?? []).map((token) => (
                <TableRow key={token.id} data-token-id={token.id}>
                  <TableCell className="font-mono text-xs" title={token.id}>
                    {token.id.slice(0, 8)}
                  </TableCell>
                  <TableCell>
                    <StatusBadge value={token.state} tone={TOKEN_TONE[token.state] ?? "muted"} />
                  </TableCell>
                  <TableCell>{formatDateTime(token.createdAt)}</TableCell>
                  <TableCell>{token.createdBy ?? "—"}</TableCell>
                  <TableCell>{formatDateTime(token.expiresAt)}</TableCell>
                  <TableCell>{formatDateTime(token.usedAt)}</TableCell>
                  <TableCell>
                    {token.agentId ? (
                      <Link href={`/agents/${token.agentId}`} className="font-mono text-xs underline-offset-4 hover:underline">
                        {token.agentId.slice(0, 8)}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TableCell>
                  <TableCell className="whitespace-normal">
                    <LabelChips labels={token.labels} />
                  </TableCell>
                  <TableCell className="text-right">
                    {token.state === "ACTIVE" && <RevokeTokenButton tokenId={token.id} action={revokeEnrollmentToken} />}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
    </>
  );
}
