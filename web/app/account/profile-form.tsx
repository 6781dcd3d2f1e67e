"use client";
// The profile form: every field of the contract, with its limits as the browser's validation.
// Its inputs start from the account as stored: the page's (revalidated after every save) or
// the one the last save answered with, whichever is newer. React resets a form to those
// defaults once its action completes, so after a save the inputs show what was stored. The
// form also carries those stored values (hidden), so the next save sends only what the person
// changed, with or without JavaScript.
import { useTranslations } from "next-intl";
import { useActionState, useEffect, useRef } from "react";
import { FormOutcome, SubmitButton } from "../../components/form-parts";
import { NAME_MAX_LENGTH, PROFILE_FIELDS, type ProfileField } from "../../lib/profile-fields";
import { newer, SHOWN_FIELD, type ProfileValues } from "../../lib/profile-values";
import { updateProfile, type ProfileState } from "./profile-actions";

const ERROR_ID = "profile-error";

export function ProfileForm({ stored }: { stored: ProfileValues }) {
  const t = useTranslations("profile");
  const [state, formAction, pending] = useActionState<ProfileState, FormData>(updateProfile, undefined);
  const shown = newer(stored, state?.saved);
  const values = state?.typed ?? shown;
  const form = useRef<HTMLFormElement>(null);
  // After a failed save, focus goes to the field at fault (or the message), so a keyboard or
  // screen-reader user lands where the problem is.
  useEffect(() => {
    if (!state?.error) return;
    const target = state.field ? form.current?.querySelector<HTMLElement>(`[name="${state.field}"]`) : null;
    (target ?? document.getElementById(ERROR_ID))?.focus();
  }, [state]);
  const invalid = (name: string) =>
    state?.error && state.field === name ? ({ "aria-invalid": true, "aria-describedby": ERROR_ID } as const) : {};
  return (
    <form action={formAction} aria-label={t("formLabel")} ref={form} className="form-grid">
      <input type="hidden" name={SHOWN_FIELD} value={JSON.stringify(shown)} />
      <label>
        {t("name")}
        <input name="name" defaultValue={values.name} autoComplete="name" maxLength={NAME_MAX_LENGTH} {...invalid("name")} />
      </label>
      {PROFILE_FIELDS.map((f) => (
        <FieldInput key={f.key} field={f} label={t(f.key)} value={values[f.key]} extra={invalid(f.key)} />
      ))}
      <FormOutcome error={state?.error} ok={state?.ok} errorId={ERROR_ID} />
      <SubmitButton pending={pending} label={t("save")} pendingLabel={t("saving")} />
    </form>
  );
}

function FieldInput({ field, label, value, extra }: { field: ProfileField; label: string; value: string; extra: object }) {
  const { input } = field;
  const wide = input.type === "textarea" ? "wide" : undefined;
  return (
    <label className={wide}>
      {label}
      {input.type === "textarea" ? (
        <textarea name={field.key} defaultValue={value} rows={4} maxLength={input.maxLength} {...extra} />
      ) : input.type === "number" ? (
        <input name={field.key} type="number" inputMode="numeric" step={1} min={input.min} max={input.max} defaultValue={value} {...extra} />
      ) : (
        <input
          name={field.key}
          type={input.type}
          defaultValue={value}
          maxLength={input.maxLength}
          autoComplete={field.autoComplete}
          placeholder={input.type === "url" ? "https://example.com" : undefined}
          {...extra}
        />
      )}
    </label>
  );
}
