"use client";

import { useEffect, useState } from "react";

import type { Checked } from "@/lib/preview-actions";

/** A check's state: nothing asked yet, asked and waiting, or the orchestrator's answer. */
export type CheckState<T> = { status: "idle" } | { status: "pending" } | ({ status: "done" } & Checked<T>);

/**
 * Asks the orchestrator `check(input)` once `input` has stayed the same for `delayMs`, and
 * keeps only the answer to the latest input. `key` identifies the input (null: nothing to ask).
 */
export function useServerCheck<I, T>(
  key: string | null,
  input: I,
  check: (input: I) => Promise<Checked<T>>,
  delayMs = 300,
): CheckState<T> {
  const [state, setState] = useState<{ key: string | null; value: CheckState<T> }>({ key: null, value: { status: "idle" } });
  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      check(input).then(
        (answer) => current && setState({ key, value: { status: "done", ...answer } }),
        (e: unknown) => current && setState({ key, value: { status: "done", error: e instanceof Error ? e.message : String(e) } }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // The key stands for the input.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (key === null) return { status: "idle" };
  return state.key === key ? state.value : { status: "pending" };
}
