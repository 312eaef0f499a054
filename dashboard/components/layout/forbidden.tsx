import { ShieldAlert } from "lucide-react";

import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** What a page shows instead of its content to a role that may not use it. */
export function Forbidden({ children }: { children: React.ReactNode }) {
  return (
    <Alert data-testid="forbidden">
      <ShieldAlert aria-hidden="true" />
      <AlertTitle>Not allowed</AlertTitle>
      <AlertDescription>{children}</AlertDescription>
    </Alert>
  );
}
