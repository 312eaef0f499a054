"use client";

import { useState, useTransition } from "react";
import { Ban } from "lucide-react";

import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";

/** Revokes an ACTIVE enrollment token after a confirmation; shows the orchestrator's refusal. */
export function RevokeTokenButton({
  tokenId,
  action,
}: {
  tokenId: string;
  action: (id: string) => Promise<{ error?: string }>;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  const short = tokenId.slice(0, 8);
  return (
    <div className="grid justify-items-end gap-1">
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button variant="outline" size="sm" disabled={pending} aria-label={`Revoke token ${short}`}>
            <Ban aria-hidden="true" />
            {pending ? "Revoking…" : "Revoke"}
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Revoke token {short}?</AlertDialogTitle>
            <AlertDialogDescription>
              No agent can enroll with this token any more. Agents already enrolled are not affected.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep it</AlertDialogCancel>
            <AlertDialogAction
              className="bg-destructive hover:bg-destructive/90 text-white"
              onClick={() =>
                startTransition(async () => {
                  const result = await action(tokenId);
                  setError(result.error);
                })
              }
            >
              Revoke
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      {error && (
        <p role="alert" className="text-destructive max-w-xs text-right text-sm">
          {error}
        </p>
      )}
    </div>
  );
}
