"use client";

import { Ban } from "lucide-react";

import { ConfirmActionButton } from "@/components/common/confirm-action-button";

/** Revokes an ACTIVE enrollment token after a confirmation; shows the orchestrator's refusal. */
export function RevokeTokenButton({
  tokenId,
  action,
}: {
  tokenId: string;
  action: (id: string) => Promise<{ error?: string }>;
}) {
  const short = tokenId.slice(0, 8);
  return (
    <ConfirmActionButton
      size="sm"
      icon={<Ban aria-hidden="true" />}
      label="Revoke"
      pendingLabel="Revoking…"
      ariaLabel={`Revoke token ${short}`}
      title={`Revoke token ${short}?`}
      description="No agent can enroll with this token any more. Agents already enrolled are not affected."
      cancelLabel="Keep it"
      onConfirm={() => action(tokenId)}
    />
  );
}
