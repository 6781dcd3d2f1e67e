"use client";
// Pieces every form shares: labelled fields that show their own error (aria-invalid +
// aria-describedby), the outcome announced to screen readers, the submit button that says it
// is working, and the new-password pair.
import { useTranslations } from "next-intl";
import { createContext, use, useId, type InputHTMLAttributes, type TextareaHTMLAttributes } from "react";

/** The error of the last submit when it names one input (ActionForm provides it). */
export const FormErrorContext = createContext<{ field: string; error?: string } | undefined>(undefined);

type FieldProps = {
  name: string;
  label: string;
  /** Help shown under the field, read with it. */
  hint?: string;
  /** This field's error, when the form manages errors itself (else taken from FormErrorContext). */
  error?: string;
  /** Marks the field invalid without a message of its own (e.g. a summary says why). */
  invalid?: boolean;
  /** Another element that describes the field, e.g. the form's error summary. */
  describedBy?: string;
} & (({ multiline?: false } & InputHTMLAttributes<HTMLInputElement>) | ({ multiline: true } & TextareaHTMLAttributes<HTMLTextAreaElement>));

export function Field({ name, label, hint, error, invalid, describedBy, ...rest }: FieldProps) {
  const id = useId();
  const ctx = use(FormErrorContext);
  const message = error ?? (ctx?.field === name ? ctx.error : undefined);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = message ? `${id}-error` : undefined;
  const a11y = {
    id,
    name,
    "aria-invalid": message || invalid ? true : undefined,
    "aria-describedby": [errorId, describedBy, hintId].filter(Boolean).join(" ") || undefined,
  };
  let control;
  if (rest.multiline) {
    const { multiline: _, ...area } = rest;
    control = <textarea {...area} {...a11y} />;
  } else {
    const { multiline: _, ...input } = rest;
    control = <input {...input} {...a11y} />;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {control}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {message ? (
        <p id={errorId} className="field-error">
          {message}
        </p>
      ) : null}
    </div>
  );
}

/** The form's outcome. The error is focusable (tabIndex -1) so a failed submit can move focus to it. */
export function FormOutcome({ error, ok, id }: { error?: string; ok?: string; id?: string }) {
  return (
    <>
      {error ? (
        <p role="alert" className="alert error" tabIndex={-1} id={id}>
          {error}
        </p>
      ) : null}
      {ok ? (
        <p role="status" className="alert success">
          {ok}
        </p>
      ) : null}
    </>
  );
}

export function SubmitButton({ pending, label, pendingLabel, variant = "primary" }: { pending: boolean; label: string; pendingLabel?: string; variant?: "primary" | "secondary" | "danger" }) {
  const t = useTranslations("forms");
  return (
    <div className="actions">
      <button type="submit" className={`button ${variant}`} disabled={pending} aria-disabled={pending || undefined}>
        {pending ? (pendingLabel ?? t("working")) : label}
      </button>
    </div>
  );
}

/** "New password" and "Confirm new password"; the server action compares them (a mismatch names "confirm"). */
export function NewPasswordFields({ name }: { name: string }) {
  const t = useTranslations("forms");
  return (
    <>
      <Field name={name} label={t("newPassword")} type="password" autoComplete="new-password" required minLength={8} hint={t("passwordHint")} />
      <Field name="confirm" label={t("confirmNewPassword")} type="password" autoComplete="new-password" required />
    </>
  );
}
