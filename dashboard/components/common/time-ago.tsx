"use client";

import { useEffect, useState } from "react";

import { formatDateTime, formatRelative } from "@/lib/format";

/**
 * "12s ago", kept current. The first render uses the server's clock (renderedAt), so the
 * server's HTML and the browser's hydration agree; the browser's clock takes over after that.
 */
export function TimeAgo({ iso, renderedAt }: { iso: string | null | undefined; renderedAt: number }) {
  const [now, setNow] = useState(renderedAt);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    const interval = setInterval(tick, 10_000);
    const first = setTimeout(tick, 0);
    return () => {
      clearInterval(interval);
      clearTimeout(first);
    };
  }, []);
  if (!iso) return <span className="text-muted-foreground">never</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso, now)}
    </time>
  );
}
