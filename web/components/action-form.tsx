"use client";
// A form bound to a server action. A failed submit moves focus to what needs attention: the
// field the error names (its message shown under it, tied by aria-describedby) or else the
// error summary; a success is announced as a status.
import { useActionState, useEffect, useRef, type ReactNode } from "react";
import { FormErrorContext, FormOutcome, SubmitButton } from "./form-parts";

/** A server action's answer: a message, and for an error the input (by name) it is about. */
export type ActionState = { error?: string; ok?: string; field?: string } | undefined;
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

export function ActionForm(props: { action: FormAction; submit: string; pendingLabel?: string; children?: ReactNode; label?: string; encType?: "multipart/form-data" }) {
  const [state, formAction, pending] = useActionState(props.action, undefined);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnError(formRef, state);
  return (
    <form action={formAction} aria-label={props.label} ref={formRef}>
      <FormErrorContext value={state?.field ? { field: state.field, error: state.error } : undefined}>{props.children}</FormErrorContext>
      <FormOutcome error={state?.field && hasInput(formRef.current, state.field) ? undefined : state?.error} ok={state?.ok} />
      <SubmitButton pending={pending} label={props.submit} pendingLabel={props.pendingLabel} />
    </form>
  );
}

function hasInput(form: HTMLFormElement | null, name: string): boolean {
  return !!form?.querySelector(`[name="${CSS.escape(name)}"]`);
}

/**
 * After a failed submit: focus the invalid input if the form has it, else the error summary
 * (role=alert, tabindex=-1). Each new answer is a new object, so a second identical failure
 * moves focus again.
 */
export function useFocusOnError(formRef: React.RefObject<HTMLFormElement | null>, state: { error?: string; field?: string } | undefined) {
  useEffect(() => {
    const form = formRef.current;
    if (!form || !state?.error) return;
    const target = (state.field && form.querySelector<HTMLElement>(`[name="${CSS.escape(state.field)}"]`)) || form.querySelector<HTMLElement>("[role=alert]");
    target?.focus();
  }, [formRef, state]);
}
