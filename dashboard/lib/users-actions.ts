"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";

import { api, problemMessage } from "@/lib/api/orchestrator";
import type { Role, User } from "@/lib/api/types";
import { validateNewUser } from "@/lib/users";

export interface CreateUserState {
  error?: string;
  created?: User;
}

/** Creates a user (admin; the orchestrator enforces it). The password is not kept anywhere here. */
export async function createUser(_previous: CreateUserState, form: FormData): Promise<CreateUserState> {
  const user = {
    username: String(form.get("username") ?? "").trim(),
    password: String(form.get("password") ?? ""),
    role: String(form.get("role") ?? ""),
  };
  const errors = validateNewUser(user);
  const first = errors.username ?? errors.password ?? errors.role;
  if (first) return { error: first };
  let created: User;
  try {
    created = await api<User>("/api/v1/users", {
      method: "POST",
      body: { username: user.username, password: user.password, role: user.role as Role },
    });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath("/users");
  return { created };
}

/** Deletes a user (admin). The orchestrator refuses (409) to delete the signed-in admin. */
export async function deleteUser(username: string): Promise<{ error?: string }> {
  try {
    await api<void>(`/api/v1/users/${encodeURIComponent(username)}`, { method: "DELETE" });
  } catch (e) {
    unstable_rethrow(e);
    return { error: problemMessage(e) };
  }
  revalidatePath("/users");
  return {};
}
