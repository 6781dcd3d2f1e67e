"use client";
// A form bound to a server action, announcing the action's outcome to screen readers.
import { useActionState, type ReactNode } from "react";
import { FormOutcome, SubmitButton } from "./form-parts";

export type ActionState = { error?: string; ok?: string } | undefined;
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

export function ActionForm(props: { action: FormAction; submit: string; pendingLabel?: string; children?: ReactNode; label?: string; encType?: "multipart/form-data" }) {
  const [state, formAction, pending] = useActionState(props.action, undefined);
  return (
    <form action={formAction} aria-label={props.label}>
      {props.children}
      <FormOutcome error={state?.error} ok={state?.ok} />
      <SubmitButton pending={pending} label={props.submit} pendingLabel={props.pendingLabel} />
    </form>
  );
}
