"use client";

import { Trash2 } from "lucide-react";

import { ConfirmActionButton } from "@/components/common/confirm-action-button";

/** Deletes a user after a confirmation. Disabled for the signed-in user (the orchestrator refuses it too). */
export function DeleteUserButton({
  username,
  self,
  action,
}: {
  username: string;
  self: boolean;
  action: (username: string) => Promise<{ error?: string }>;
}) {
  return (
    <ConfirmActionButton
      size="sm"
      icon={<Trash2 aria-hidden="true" />}
      label="Delete"
      pendingLabel="Deleting…"
      ariaLabel={`Delete user ${username}`}
      disabled={self}
      disabledReason="You cannot delete yourself"
      title={`Delete user ${username}?`}
      description={`${username} can no longer sign in. This cannot be undone.`}
      cancelLabel="Keep"
      onConfirm={() => action(username)}
    />
  );
}
