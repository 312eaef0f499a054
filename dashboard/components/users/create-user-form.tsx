"use client";

import { startTransition, useActionState, useId, useMemo, useRef, useState } from "react";
import { UserPlus } from "lucide-react";

import { ROLES } from "@/lib/api/types";
import { PASSWORD_MAX, PASSWORD_MIN, USERNAME_MAX, validateNewUser, type NewUserErrors } from "@/lib/users";
import type { CreateUserState } from "@/lib/users-actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect, NativeSelectOption } from "@/components/ui/native-select";

const ROLE_HELP: Record<string, string> = {
  ADMIN: "everything, including users, enrollment and the audit log",
  OPERATOR: "runs and cancels jobs",
  VIEWER: "reads agents and jobs only",
};

const FIELDS = ["username", "password", "confirm", "role"] as const;

/** New user: name, password (typed twice) and role, checked here before the orchestrator checks again. */
export function CreateUserForm({
  action,
}: {
  action: (previous: CreateUserState, form: FormData) => Promise<CreateUserState>;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [role, setRole] = useState("VIEWER");
  const [submitted, setSubmitted] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();

  const errors = useMemo<NewUserErrors>(
    () => validateNewUser({ username, password, confirm, role }),
    [username, password, confirm, role],
  );
  const show = (field: keyof NewUserErrors) => submitted && errors[field];

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    const first = FIELDS.find((field) => errors[field]);
    if (first) {
      formRef.current?.querySelector<HTMLElement>(`[name="${first}"]`)?.focus();
      return;
    }
    const form = new FormData();
    form.set("username", username.trim());
    form.set("password", password);
    form.set("role", role);
    startTransition(() => formAction(form));
  }

  // After a user was created, empty the form for the next one (once per answer of the server).
  const [handled, setHandled] = useState<CreateUserState>(state);
  if (state !== handled) {
    setHandled(state);
    if (state.created) {
      setUsername("");
      setPassword("");
      setConfirm("");
      setSubmitted(false);
    }
  }

  const field = (name: keyof NewUserErrors) => ({
    "aria-invalid": show(name) ? true : undefined,
    "aria-describedby": show(name) ? `${id}-${name}-error` : undefined,
  });

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="grid max-w-xl gap-5" aria-label="New user">
      <div className="grid gap-2">
        <Label htmlFor={`${id}-username`}>User name</Label>
        <Input
          id={`${id}-username`}
          name="username"
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          maxLength={USERNAME_MAX + 1}
          {...field("username")}
        />
        {show("username") && <FieldError id={`${id}-username-error`}>{errors.username}</FieldError>}
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-password`}>Password</Label>
        <Input
          id={`${id}-password`}
          name="password"
          type="password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          autoComplete="new-password"
          maxLength={PASSWORD_MAX + 1}
          {...field("password")}
          aria-describedby={`${id}-password-help${show("password") ? ` ${id}-password-error` : ""}`}
        />
        <p id={`${id}-password-help`} className="text-muted-foreground text-sm">
          At least {PASSWORD_MIN} characters.
        </p>
        {show("password") && <FieldError id={`${id}-password-error`}>{errors.password}</FieldError>}
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-confirm`}>Repeat password</Label>
        <Input
          id={`${id}-confirm`}
          name="confirm"
          type="password"
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
          autoComplete="new-password"
          {...field("confirm")}
        />
        {show("confirm") && <FieldError id={`${id}-confirm-error`}>{errors.confirm}</FieldError>}
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${id}-role`}>Role</Label>
        <NativeSelect
          id={`${id}-role`}
          name="role"
          value={role}
          onChange={(event) => setRole(event.target.value)}
          className="min-w-72"
          {...field("role")}
        >
          {ROLES.map((value) => (
            <NativeSelectOption key={value} value={value}>
              {value} — {ROLE_HELP[value]}
            </NativeSelectOption>
          ))}
        </NativeSelect>
        {show("role") && <FieldError id={`${id}-role-error`}>{errors.role}</FieldError>}
      </div>

      {state.error && (
        <p role="alert" className="text-destructive text-sm">
          The orchestrator refused: {state.error}
        </p>
      )}
      {state.created && !state.error && (
        <p role="status" className="text-sm">
          Created {state.created.username} ({state.created.role}).
        </p>
      )}
      <div>
        <Button type="submit" disabled={pending}>
          <UserPlus aria-hidden="true" />
          {pending ? "Creating…" : "Create user"}
        </Button>
      </div>
    </form>
  );
}

function FieldError({ id, children }: { id: string; children: React.ReactNode }) {
  return (
    <p id={id} className="text-destructive text-sm" role="alert">
      {children}
    </p>
  );
}
