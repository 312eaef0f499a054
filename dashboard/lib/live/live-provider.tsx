"use client";

// One WebSocket to the orchestrator's live feed per browser tab, shared by every component
// that wants to know when an agent or a job changed. The socket is opened with a one-time
// ticket that the dashboard server fetches with the user's token (the token itself never
// reaches the browser). On close it reconnects with a fresh ticket after a backoff. Each time
// the socket opens, the first time included, it tells subscribers to re-read everything
// ("resync"): events sent before it was open (while the page was rendering, or while the
// orchestrator was away) never reach it.

import { createContext, useContext, useEffect, useRef, useState } from "react";

import type { LiveEvent, LiveEventType } from "@/lib/api/types";
import { reconnectDelay } from "@/lib/live/backoff";

export type LiveStatus = "connecting" | "open" | "reconnecting" | "signed-out";
export type LiveMessage = LiveEvent | { type: "resync" };
type Listener = (message: LiveMessage) => void;

const LIVE_EVENT_TYPES: LiveEventType[] = ["job", "agent", "schedule"];

interface LiveContextValue {
  status: LiveStatus;
  subscribe: (listener: Listener) => () => void;
}

const LiveContext = createContext<LiveContextValue>({
  status: "connecting",
  subscribe: () => () => {},
});

export function LiveProvider({ children }: { children: React.ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>("connecting");
  const listeners = useRef(new Set<Listener>());
  const [subscribe] = useState(() => (listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  });

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    const emit = (message: LiveMessage) => listeners.current.forEach((listener) => listener(message));

    const retry = () => {
      if (stopped) return;
      setStatus("reconnecting");
      timer = setTimeout(connect, reconnectDelay(attempt++));
    };

    async function connect() {
      if (stopped) return;
      let url: string;
      try {
        const response = await fetch("/api/live/ticket", { method: "POST", cache: "no-store" });
        if (response.status === 401) {
          setStatus("signed-out");
          return;
        }
        if (!response.ok) return retry();
        url = ((await response.json()) as { url: string }).url;
      } catch {
        return retry();
      }
      if (stopped) return;
      socket = new WebSocket(url);
      socket.onopen = () => {
        attempt = 0;
        setStatus("open");
        emit({ type: "resync" });
      };
      socket.onmessage = (event) => {
        try {
          const message = JSON.parse(String(event.data)) as LiveEvent;
          if (LIVE_EVENT_TYPES.includes(message.type) && typeof message.id === "string") {
            emit(message);
          }
        } catch {
          // not an event of ours; ignore
        }
      };
      socket.onclose = () => {
        socket = null;
        retry();
      };
    }

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      if (socket) {
        socket.onclose = null;
        socket.close();
      }
    };
  }, []);

  return <LiveContext.Provider value={{ status, subscribe }}>{children}</LiveContext.Provider>;
}

/** The feed's connection state, for an indicator. */
export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext).status;
}

/** Calls listener for every live message; the latest listener is used without resubscribing. */
export function useLiveEvents(listener: Listener): void {
  const { subscribe } = useContext(LiveContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => subscribe((message) => latest.current(message)), [subscribe]);
}
