"use client";

import { AlertCircle, RotateCw } from "lucide-react";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** A page whose data could not be read (orchestrator down, refused, ...). */
export default function AppError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="grid gap-4">
      <Alert variant="destructive">
        <AlertCircle aria-hidden="true" />
        <AlertTitle>This page could not be loaded</AlertTitle>
        <AlertDescription>
          {error.message || "The orchestrator did not answer as expected."}
          {error.digest && <span className="font-mono text-xs">ref {error.digest}</span>}
        </AlertDescription>
      </Alert>
      <div>
        <Button variant="outline" onClick={reset}>
          <RotateCw aria-hidden="true" /> Try again
        </Button>
      </div>
    </div>
  );
}
