"use client";
// A form bound to a server action. A failed submit moves focus to what needs attention: the
// field the error names (its message shown under it, tied by aria-describedby) or else the
// error summary; a success is announced as a status.
import { useActionState, useEffect, useRef, useTransition, type FormEvent, type ReactNode } from "react";
import { FormErrorContext, FormOutcome, SubmitButton } from "./form-parts";

/** A server action's answer: a message, and for an error the input (by name) it is about. */
export type ActionState = { error?: string; ok?: string; field?: string } | undefined;
export type FormAction = (state: ActionState, form: FormData) => Promise<ActionState>;

export function ActionForm(props: {
  action: FormAction;
  submit: string;
  pendingLabel?: string;
  children?: ReactNode;
  label?: string;
  encType?: "multipart/form-data";
  /**
   * Keep what was typed when the action refuses it (React clears a form after every action);
   * the form is cleared only after a success. For forms with more than secrets in them.
   */
  keepOnError?: boolean;
}) {
  const [state, formAction, pending] = useActionState(props.action, undefined);
  const [, startTransition] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnError(formRef, state);
  useEffect(() => {
    if (props.keepOnError && state?.ok) formRef.current?.reset();
  }, [props.keepOnError, state]);
  // Submitting through a transition instead of the form's action skips React's reset; without
  // JavaScript the form still posts to the action.
  const keep = props.keepOnError
    ? (e: FormEvent<HTMLFormElement>) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => formAction(data));
      }
    : undefined;
  return (
    <form action={formAction} onSubmit={keep} aria-label={props.label} ref={formRef}>
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
