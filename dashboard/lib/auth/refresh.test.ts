// @vitest-environment node
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

import { needsRenewal, refreshSession, sessionCookies, type SessionTokens } from "@/lib/auth/refresh";

const tokens: SessionTokens = {
  accessToken: "access-2",
  expiresIn: 900,
  refreshToken: "mamos_rt_2",
  refreshTokenExpiresAt: "2030-01-15T00:00:00Z",
};

describe("refreshSession", () => {
  const fetchMock = vi.fn();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("posts the refresh token to the orchestrator and answers the new pair", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify(tokens), { status: 200 }));

    const outcome = await refreshSession("mamos_rt_a");

    expect(outcome).toEqual({ kind: "renewed", tokens });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("http://localhost:4000/api/v1/auth/refresh");
    expect(JSON.parse(init.body)).toEqual({ refreshToken: "mamos_rt_a" });
  });

  it("forwards the browser's address so the orchestrator limits each browser, not this server", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify(tokens), { status: 200 }));

    await refreshSession("mamos_rt_xff", Date.now(), "203.0.113.9");

    const [, init] = fetchMock.mock.calls[0];
    expect(init.headers["X-Forwarded-For"]).toBe("203.0.113.9");
  });

  it("makes one refresh for requests racing with the same token, since a second would revoke the session", async () => {
    fetchMock.mockResolvedValue(new Response(JSON.stringify(tokens), { status: 200 }));

    const outcomes = await Promise.all([refreshSession("mamos_rt_b"), refreshSession("mamos_rt_b")]);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(outcomes[0]).toEqual(outcomes[1]);
  });

  it("forgets a shared refresh after 30 seconds", async () => {
    fetchMock.mockImplementation(async () => new Response(JSON.stringify(tokens), { status: 200 }));

    await refreshSession("mamos_rt_c", 1_000);
    await refreshSession("mamos_rt_c", 40_000);

    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("tells a refused token (401) from an orchestrator that cannot be asked", async () => {
    fetchMock.mockResolvedValueOnce(new Response("{}", { status: 401 }));
    fetchMock.mockResolvedValueOnce(new Response("{}", { status: 503 }));
    fetchMock.mockRejectedValueOnce(new TypeError("fetch failed"));

    expect(await refreshSession("mamos_rt_d")).toEqual({ kind: "refused" });
    expect(await refreshSession("mamos_rt_e")).toEqual({ kind: "unavailable" });
    expect(await refreshSession("mamos_rt_f")).toEqual({ kind: "unavailable" });
  });
});

describe("needsRenewal", () => {
  const now = 1_000_000_000_000;

  it("renews a missing token and one with less than a minute left", () => {
    expect(needsRenewal(null, now)).toBe(true);
    expect(needsRenewal({ username: "u", roles: [], expiresAt: now / 1000 + 59 }, now)).toBe(true);
  });

  it("leaves a token with more than a minute left alone", () => {
    expect(needsRenewal({ username: "u", roles: [], expiresAt: now / 1000 + 61 }, now)).toBe(false);
  });
});

describe("sessionCookies", () => {
  it("keeps both tokens in httpOnly cookies that expire with the tokens", () => {
    const now = Date.parse("2030-01-01T00:00:00Z");

    const cookies = sessionCookies(tokens, "https", now);

    expect(cookies).toEqual([
      ["mamos_session", "access-2", { httpOnly: true, sameSite: "lax", secure: true, path: "/", maxAge: 900 }],
      ["mamos_refresh", "mamos_rt_2", { httpOnly: true, sameSite: "lax", secure: true, path: "/", maxAge: 14 * 86400 }],
    ]);
  });
});
