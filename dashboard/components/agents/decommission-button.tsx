"use client";

import { PowerOff } from "lucide-react";

import { ConfirmActionButton } from "@/components/common/confirm-action-button";
import { decommissionAgent } from "@/lib/agents-actions";

export function DecommissionButton({ agentId, hostname }: { agentId: string; hostname: string }) {
  return (
    <ConfirmActionButton
      variant="destructive"
      icon={<PowerOff aria-hidden="true" />}
      label="Decommission"
      pendingLabel="Decommissioning…"
      title={`Decommission ${hostname}?`}
      description="The agent stops receiving jobs and its credential is no longer accepted. This cannot be undone: to use the machine again, enroll it anew with a fresh token."
      cancelLabel="Keep it"
      errorClassName=""
      onConfirm={() => decommissionAgent(agentId)}
    />
  );
}
