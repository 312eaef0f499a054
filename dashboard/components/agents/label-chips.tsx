import type { Labels } from "@/lib/api/types";
import { labelEntries } from "@/lib/labels";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

/** An agent's labels as small "key=value" chips; a dash when it has none. */
export function LabelChips({ labels, className, empty = "—" }: { labels: Labels | null | undefined; className?: string; empty?: string }) {
  const entries = labelEntries(labels);
  if (entries.length === 0) return <span className="text-muted-foreground text-xs">{empty}</span>;
  return (
    <ul aria-label="Labels" className={cn("flex flex-wrap gap-1", className)}>
      {entries.map(([key, value]) => (
        <li key={key}>
          <Badge variant="secondary" className="gap-0 font-mono font-normal" data-label={key}>
            <span className="text-muted-foreground">{key}=</span>
            {value}
          </Badge>
        </li>
      ))}
    </ul>
  );
}
