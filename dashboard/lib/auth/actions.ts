"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";

import { ApiError, orchestratorFetch, problemMessage } from "@/lib/api/orchestrator";
import { secureCookies } from "@/lib/config";
import { SESSION_COOKIE } from "@/lib/auth/session";

export interface LoginState {
  error?: string;
  username?: string;
}

interface TokenResponse {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
}

/** Only same-site paths: an open redirect through ?next= would be a phishing aid. */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === "string" ? value : "";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

/** Trades user name and password for an access token, kept in an httpOnly cookie. */
export async function login(_previous: LoginState, form: FormData): Promise<LoginState> {
  const username = String(form.get("username") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!username || !password) {
    return { error: "Enter your user name and password.", username };
  }
  let token: TokenResponse;
  try {
    token = await orchestratorFetch<TokenResponse>("/api/v1/auth/token", {
      method: "POST",
      body: { username, password },
    });
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 400)) {
      return { error: "Wrong user name or password.", username };
    }
    return { error: problemMessage(e), username };
  }
  const proto = (await headers()).get("x-forwarded-proto");
  (await cookies()).set(SESSION_COOKIE, token.accessToken, {
    httpOnly: true,
    sameSite: "lax",
    secure: secureCookies(proto),
    path: "/",
    maxAge: token.expiresIn,
  });
  redirect(safeNext(form.get("next")));
}

/** Forgets the session. The token itself stays valid until it expires (the orchestrator is stateless). */
export async function logout(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
  redirect("/login");
}
