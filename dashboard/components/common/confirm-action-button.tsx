"use client";

import { useState, useTransition, type ReactNode } from "react";

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

/**
 * A destructive action behind a confirmation dialog: runs `onConfirm` (a server action) and
 * shows the orchestrator's refusal, if any, under the button.
 */
export function ConfirmActionButton({
  icon,
  label,
  pendingLabel,
  title,
  description,
  cancelLabel,
  onConfirm,
  variant = "outline",
  size,
  ariaLabel,
  disabled = false,
  disabledReason,
  errorClassName = "max-w-xs text-right",
}: {
  icon: ReactNode;
  label: string;
  pendingLabel: string;
  title: ReactNode;
  description: ReactNode;
  cancelLabel: string;
  onConfirm: () => Promise<{ error?: string }>;
  variant?: "outline" | "destructive";
  size?: "sm";
  ariaLabel?: string;
  disabled?: boolean;
  disabledReason?: string;
  errorClassName?: string;
}) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string>();
  return (
    <div className="grid justify-items-end gap-1">
      <AlertDialog>
        <AlertDialogTrigger asChild>
          <Button
            variant={variant}
            size={size}
            disabled={disabled || pending}
            aria-label={ariaLabel}
            title={disabled ? disabledReason : undefined}
          >
            {icon}
            {pending ? pendingLabel : label}
          </Button>
        </AlertDialogTrigger>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>{title}</AlertDialogTitle>
            <AlertDialogDescription>{description}</AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>{cancelLabel}</AlertDialogCancel>
            <AlertDialogAction
              className="bg-destructive hover:bg-destructive/90 text-white"
              onClick={() =>
                startTransition(async () => {
                  const result = await onConfirm();
                  setError(result.error);
                })
              }
            >
              {label}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
      {error && (
        <p role="alert" className={`text-destructive text-sm ${errorClassName}`}>
          {error}
        </p>
      )}
    </div>
  );
}
