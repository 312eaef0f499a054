import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { LiveProvider, useLiveEvents, useLiveStatus, type LiveMessage } from "@/lib/live/live-provider";

/** A stand-in for the browser's WebSocket that the test opens, feeds and closes by hand. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  close() {}
}

let tickets = 0;
const received: LiveMessage[] = [];

function Probe() {
  const status = useLiveStatus();
  useLiveEvents((message) => received.push(message));
  return <p data-testid="status">{status}</p>;
}

async function flush() {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(0);
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.instances = [];
  tickets = 0;
  received.length = 0;
  vi.stubGlobal("WebSocket", FakeSocket);
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => new Response(JSON.stringify({ url: `ws://orchestrator/ws/events?ticket=t${++tickets}` }))),
  );
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("LiveProvider", () => {
  it("opens the feed with a ticket, asks for a resync of what changed before it opened, and passes events on", async () => {
    render(
      <LiveProvider>
        <Probe />
      </LiveProvider>,
    );
    await flush();
    expect(FakeSocket.instances[0].url).toBe("ws://orchestrator/ws/events?ticket=t1");
    act(() => FakeSocket.instances[0].onopen!());
    expect(screen.getByTestId("status")).toHaveTextContent("open");
    act(() => FakeSocket.instances[0].onmessage!({ data: '{"type":"job","id":"j1"}' }));
    act(() => FakeSocket.instances[0].onmessage!({ data: "not json" }));
    expect(received).toEqual([{ type: "resync" }, { type: "job", id: "j1" }]);
  });

  it("reconnects with a fresh ticket after the orchestrator goes away, then asks for a resync", async () => {
    render(
      <LiveProvider>
        <Probe />
      </LiveProvider>,
    );
    await flush();
    act(() => FakeSocket.instances[0].onopen!());
    act(() => FakeSocket.instances[0].onclose!());
    expect(screen.getByTestId("status")).toHaveTextContent("reconnecting");

    // While the orchestrator is down the ticket request fails; the provider keeps trying.
    vi.mocked(fetch).mockResolvedValueOnce(new Response("down", { status: 502 }));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_300);
    });
    expect(FakeSocket.instances).toHaveLength(1);

    await act(async () => {
      await vi.advanceTimersByTimeAsync(2_500);
    });
    expect(FakeSocket.instances).toHaveLength(2);
    expect(FakeSocket.instances[1].url).toMatch(/ticket=t\d+$/);
    expect(FakeSocket.instances[1].url).not.toBe(FakeSocket.instances[0].url);
    act(() => FakeSocket.instances[1].onopen!());
    expect(screen.getByTestId("status")).toHaveTextContent("open");
    // One resync when it first opened, one after the reconnect.
    expect(received).toEqual([{ type: "resync" }, { type: "resync" }]);
  });

  it("stops when the session is gone", async () => {
    vi.mocked(fetch).mockResolvedValueOnce(new Response("{}", { status: 401 }));
    render(
      <LiveProvider>
        <Probe />
      </LiveProvider>,
    );
    await flush();
    expect(screen.getByTestId("status")).toHaveTextContent("signed-out");
    expect(FakeSocket.instances).toHaveLength(0);
  });
});
