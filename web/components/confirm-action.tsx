"use client";
// A button that asks before it acts: it opens a modal dialog (the browser's own <dialog>, so
// focus moves into it, Escape cancels and the page behind is inert) that says what will
// happen; only its confirm button submits the server action. A refusal (a wrong password) is
// shown inside the dialog, which stays open; success closes it and is announced on the page.
import { useActionState, useEffect, useId, useRef, type ReactNode } from "react";
import type { FormAction } from "./action-form";
import { FormErrorContext, FormOutcome } from "./form-parts";

export function ConfirmAction(props: {
  action: FormAction;
  /** The button that opens the dialog. */
  trigger: string;
  title: string;
  /** What will happen, in words the person can weigh. */
  children: ReactNode;
  confirm: string;
  cancel: string;
  pendingLabel?: string;
  /** Hidden inputs (ids) the action needs. */
  fields?: Record<string, string>;
  danger?: boolean;
  /** Nothing to act on now (the outcome of the last action stays shown). */
  disabled?: boolean;
}) {
  const [state, formAction, pending] = useActionState(props.action, undefined);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (state?.ok) dialog.current?.close();
    else if (state?.error) dialog.current?.querySelector<HTMLElement>("[aria-invalid=true], [role=alert]")?.focus();
  }, [state]);
  return (
    <div className="confirm-action">
      <button type="button" className={`button ${props.danger ? "danger" : "secondary"}`} onClick={() => dialog.current?.showModal()} disabled={props.disabled}>
        {props.trigger}
      </button>
      <dialog ref={dialog} aria-labelledby={titleId} className="dialog">
        <form action={formAction}>
          <h2 id={titleId}>{props.title}</h2>
          <FormErrorContext value={state?.field ? { field: state.field, error: state.error } : undefined}>
            <div>{props.children}</div>
          </FormErrorContext>
          {state?.error && !state.field ? (
            <p role="alert" className="alert error" tabIndex={-1}>
              {state.error}
            </p>
          ) : null}
          {Object.entries(props.fields ?? {}).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <div className="row">
            <button type="submit" className={`button ${props.danger ? "danger" : "primary"}`} disabled={pending}>
              {pending ? (props.pendingLabel ?? props.confirm) : props.confirm}
            </button>
            <button type="button" className="button secondary" onClick={() => dialog.current?.close()} autoFocus>
              {props.cancel}
            </button>
          </div>
        </form>
      </dialog>
      <FormOutcome ok={state?.ok} />
    </div>
  );
}
