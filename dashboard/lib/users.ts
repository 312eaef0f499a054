// Rules for a new user, as the orchestrator's UserController checks them (POST /api/v1/users):
// shared by the form (to explain mistakes before submitting) and the server action.
import { ROLES, type Role } from "@/lib/api/types";

export const USERNAME_MAX = 64;
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]+$/;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

export interface NewUser {
  username: string;
  password: string;
  role: string;
}

export interface NewUserErrors {
  username?: string;
  password?: string;
  confirm?: string;
  role?: string;
}

/** Field errors of a new user; empty when the orchestrator should accept it. */
export function validateNewUser(user: NewUser & { confirm?: string }): NewUserErrors {
  const errors: NewUserErrors = {};
  const username = user.username.trim();
  if (!username) errors.username = "Enter a user name.";
  else if (username.length > USERNAME_MAX) errors.username = `A user name has at most ${USERNAME_MAX} characters.`;
  else if (!USERNAME_PATTERN.test(username)) {
    errors.username = "A user name may contain letters, digits and . _ @ - only.";
  }
  if (user.password.length < PASSWORD_MIN) {
    errors.password = `A password has at least ${PASSWORD_MIN} characters.`;
  } else if (user.password.length > PASSWORD_MAX) {
    errors.password = `A password has at most ${PASSWORD_MAX} characters.`;
  }
  if (user.confirm !== undefined && !errors.password && user.confirm !== user.password) {
    errors.confirm = "The passwords do not match.";
  }
  if (!ROLES.includes(user.role as Role)) errors.role = "Choose a role.";
  return errors;
}
