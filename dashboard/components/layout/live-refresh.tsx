"use client";

import { useEffect, useRef } from "react";
import { useRouter } from "next/navigation";

import type { LiveEventType } from "@/lib/api/types";
import { useLiveEvents } from "@/lib/live/live-provider";

/**
 * Re-renders the current page's server components when the live feed reports a change of
 * one of these types (and, when ids are given, one of these ids). Bursts are coalesced.
 */
export function LiveRefresh({
  types,
  ids,
  intervalMs,
}: {
  types: LiveEventType[];
  ids?: string[];
  /** Also refresh this often (for data the feed does not announce, like running output). */
  intervalMs?: number;
}) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useLiveEvents((message) => {
    const relevant =
      message.type === "resync" ||
      (types.includes(message.type) && (!ids || ids.includes(message.id)));
    if (!relevant) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => router.refresh(), 250);
  });

  useEffect(() => {
    if (!intervalMs) return;
    const interval = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(interval);
  }, [intervalMs, router]);

  useEffect(() => () => clearTimeout(timer.current), []);
  return null;
}
