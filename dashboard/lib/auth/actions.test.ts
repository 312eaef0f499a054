// @vitest-environment node
import { beforeEach, describe, expect, it, vi } from "vitest";

const jar = vi.hoisted(() => {
  const values = new Map<string, string>();
  return {
    values,
    get: (name: string) => (values.has(name) ? { name, value: values.get(name)! } : undefined),
    set: vi.fn((name: string, value: string) => values.set(name, value)),
    delete: vi.fn((name: string) => values.delete(name)),
  };
});

vi.mock("server-only", () => ({}));
vi.mock("next/headers", () => ({
  cookies: async () => jar,
  headers: async () => new Headers(),
}));
vi.mock("next/navigation", () => ({
  redirect: vi.fn((url: string) => {
    throw new Error(`NEXT_REDIRECT ${url}`);
  }),
}));

import { login, logout } from "@/lib/auth/actions";

describe("session actions", () => {
  const fetchMock = vi.fn();

  beforeEach(() => {
    vi.stubGlobal("fetch", fetchMock);
    fetchMock.mockReset();
    jar.values.clear();
    jar.set.mockClear();
    jar.delete.mockClear();
  });

  it("login keeps the access and the refresh token in httpOnly cookies", async () => {
    fetchMock.mockResolvedValue(
      new Response(
        JSON.stringify({
          accessToken: "access-1",
          expiresIn: 900,
          refreshToken: "mamos_rt_1",
          refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        }),
        { status: 200 },
      ),
    );
    const form = new FormData();
    form.set("username", "ada");
    form.set("password", "secret password");
    form.set("next", "/jobs");

    await expect(login({}, form)).rejects.toThrow("NEXT_REDIRECT /jobs");

    expect(jar.values.get("mamos_session")).toBe("access-1");
    expect(jar.values.get("mamos_refresh")).toBe("mamos_rt_1");
    expect(jar.set).toHaveBeenCalledWith("mamos_refresh", "mamos_rt_1", expect.objectContaining({ httpOnly: true }));
  });

  it("logout ends the session at the orchestrator, then drops both cookies", async () => {
    jar.values.set("mamos_session", "access-1");
    jar.values.set("mamos_refresh", "mamos_rt_1");
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));

    await expect(logout()).rejects.toThrow("NEXT_REDIRECT /login");

    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("http://localhost:4000/api/v1/auth/logout");
    expect(init.method).toBe("POST");
    expect(init.headers.Authorization).toBe("Bearer access-1");
    expect(jar.values.has("mamos_session")).toBe(false);
    expect(jar.values.has("mamos_refresh")).toBe(false);
  });

  it("logout still drops the cookies when the orchestrator cannot be reached", async () => {
    jar.values.set("mamos_session", "access-1");
    jar.values.set("mamos_refresh", "mamos_rt_1");
    fetchMock.mockRejectedValue(new TypeError("fetch failed"));

    await expect(logout()).rejects.toThrow("NEXT_REDIRECT /login");

    expect(jar.values.size).toBe(0);
  });
});
