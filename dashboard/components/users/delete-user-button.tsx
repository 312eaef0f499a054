"use client";

import { useState, useTransition } from "react";
import { Trash2 } from "lucide-react";

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
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <div className="grid justify-items-end gap-1">
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button
            variant="outline"
            size="sm"
            disabled={self || pending}
            aria-label={`Delete user ${username}`}
            title={self ? "You cannot delete yourself" : undefined}
          >
            <Trash2 aria-hidden="true" />
            {pending ? "Deleting…" : "Delete"}
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete user {username}?</AlertDialogTitle>
            <AlertDialogDescription>
              {username} can no longer sign in. This cannot be undone.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Keep</AlertDialogCancel>
            <AlertDialogAction
              className="bg-destructive hover:bg-destructive/90 text-white"
              onClick={() =>
                startTransition(async () => {
                  const result = await action(username);
                  setError(result.error);
                })
              }
            >
              Delete
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
