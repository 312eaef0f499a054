// @vitest-environment node
import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

vi.mock("server-only", () => ({}));

import { proxy } from "@/proxy";

function jwt(expiresInSeconds: number): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${encode({ alg: "RS256" })}.${encode({ sub: "ada", roles: ["ADMIN"], iat: now, exp: now + expiresInSeconds })}.sig`;
}

function request(path: string, cookies: Record<string, string>): NextRequest {
  const cookie = Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join("; ");
  return new NextRequest(`http://dashboard.test${path}`, { headers: cookie ? { cookie } : {} });
}

const renewed = (accessToken: string) =>
  new Response(
    JSON.stringify({
      accessToken,
      expiresIn: 900,
      refreshToken: "mamos_rt_next",
      refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    }),
    { status: 200 },
  );

describe("proxy", () => {
  const fetchMock = vi.fn();
  let refreshCookie = 0;
  /** A refresh token no other test used (the proxy shares refreshes per token for 30 s). */
  const freshRefreshToken = () => `mamos_rt_${++refreshCookie}_${Math.random()}`;

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("lets a request with a token that has time left through untouched, naming its page", async () => {
    const response = await proxy(request("/agents?status=ONLINE", { mamos_session: jwt(600) }));

    expect(fetchMock).not.toHaveBeenCalled();
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("x-middleware-request-x-mamos-path")).toBe("/agents?status=ONLINE");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("renews a token close to expiry, stores the new pair and hands it to this request", async () => {
    const newToken = jwt(900);
    fetchMock.mockResolvedValue(renewed(newToken));

    const response = await proxy(request("/jobs", { mamos_session: jwt(30), mamos_refresh: freshRefreshToken() }));

    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.cookies.get("mamos_session")).toMatchObject({ value: newToken, httpOnly: true, maxAge: 900 });
    expect(response.cookies.get("mamos_refresh")).toMatchObject({ value: "mamos_rt_next", httpOnly: true });
    expect(response.headers.get("x-middleware-request-cookie")).toContain(`mamos_session=${newToken}`);
  });

  it("renews a session whose access cookie has already gone", async () => {
    fetchMock.mockResolvedValue(renewed(jwt(900)));

    const response = await proxy(request("/", { mamos_refresh: freshRefreshToken() }));

    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.cookies.get("mamos_session")?.value).toBeTruthy();
  });

  it("sends the user to sign in and drops both cookies when the refresh token is refused", async () => {
    fetchMock.mockResolvedValue(new Response("{}", { status: 401 }));

    const response = await proxy(request("/jobs", { mamos_session: jwt(-10), mamos_refresh: freshRefreshToken() }));

    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("http://dashboard.test/login?next=%2Fjobs");
    expect(response.cookies.get("mamos_session")?.value).toBe("");
    expect(response.cookies.get("mamos_refresh")?.value).toBe("");
  });

  it("keeps using a token with seconds left when the orchestrator cannot renew it", async () => {
    fetchMock.mockRejectedValue(new TypeError("fetch failed"));

    const response = await proxy(request("/jobs", { mamos_session: jwt(30), mamos_refresh: freshRefreshToken() }));

    expect(response.headers.get("x-middleware-next")).toBe("1");
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("keeps the refresh cookie for later when the orchestrator is down and the token has expired", async () => {
    fetchMock.mockRejectedValue(new TypeError("fetch failed"));

    const response = await proxy(request("/jobs", { mamos_session: jwt(-10), mamos_refresh: freshRefreshToken() }));

    expect(response.status).toBe(307);
    expect(response.cookies.get("mamos_refresh")).toBeUndefined();
  });

  it("answers dashboard API routes without a session with 401 problem+json", async () => {
    const response = await proxy(request("/api/live-ticket", {}));

    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });
});
