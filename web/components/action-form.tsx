"use client";
// A form bound to a server action, announcing the action's outcome to screen readers.
import { useActionState, type ReactNode } from "react";

export type ActionState = { error?: string; ok?: string } | undefined;
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

export function ActionForm(props: { action: FormAction; submit: string; pendingLabel?: string; children?: ReactNode; label?: string; encType?: "multipart/form-data" }) {
  const [state, formAction, pending] = useActionState(props.action, undefined);
  return (
    <form action={formAction} aria-label={props.label}>
      {props.children}
      {state?.error ? (
        <p role="alert" className="alert error">
          {state.error}
        </p>
      ) : null}
      {state?.ok ? (
        <p role="status" className="alert info">
          {state.ok}
        </p>
      ) : null}
      <div>
        <button type="submit" className="primary" disabled={pending}>
          {pending ? (props.pendingLabel ?? "Working…") : props.submit}
        </button>
      </div>
    </form>
  );
}
