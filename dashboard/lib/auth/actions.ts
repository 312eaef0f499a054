"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";

import { ApiError, orchestratorFetch, problemMessage } from "@/lib/api/orchestrator";
import { safeNext } from "@/lib/auth/next-path";
import { REFRESH_COOKIE, SESSION_COOKIE, sessionCookies, type SessionTokens } from "@/lib/auth/refresh";

export interface LoginState {
  error?: string;
  username?: string;
}

/** Trades user name and password for an access and a refresh token, kept in httpOnly cookies. */
export async function login(_previous: LoginState, form: FormData): Promise<LoginState> {
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!username || !password) {
    return { error: "Enter your user name and password.", username };
  }
  let tokens: SessionTokens;
  try {
    tokens = await orchestratorFetch<SessionTokens>("/api/v1/auth/token", {
      method: "POST",
      body: { username, password },
    });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 400)) {
      return { error: "Wrong user name or password.", username };
    }
    return { error: problemMessage(e), username };
  }
  const jar = await cookies();
  for (const [name, value, options] of sessionCookies(tokens, (await headers()).get("x-forwarded-proto"))) {
    jar.set(name, value, options);
  }
  redirect(safeNext(form.get("next")));
}

/**
 * Ends the session at the orchestrator (its refresh tokens are revoked and the access token is
 * denied from now on), then drops the cookies. The cookies go even when the orchestrator cannot
 * be reached: on this browser the session ends either way.
 */
export async function logout(): Promise<void> {
  const jar = await cookies();
  const token = jar.get(SESSION_COOKIE)?.value;
  if (token) {
    try {
      await orchestratorFetch<void>("/api/v1/auth/logout", { method: "POST", token });
    } catch {
      // Already expired or revoked, or the orchestrator is down: nothing more to end here.
    }
  }
  jar.delete(SESSION_COOKIE);
  jar.delete(REFRESH_COOKIE);
  redirect("/login");
}
