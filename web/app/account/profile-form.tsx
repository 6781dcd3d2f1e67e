"use client";
// The profile form: every field of the contract, with its limits as the browser's validation.
// Its inputs start from the account as stored: the page's (revalidated after every save) or
// the one the last save answered with, whichever is newer. React resets a form to those
// defaults once its action completes, so after a save the inputs show what was stored. The
// form also carries those stored values (hidden), so the next save sends only what the person
// changed, with or without JavaScript.
import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { useFocusOnError } from "../../components/action-form";
import { Field, FormErrorContext, FormOutcome, SubmitButton } from "../../components/form-parts";
import { NAME_MAX } from "../../../services/shared/contract-limits";
import { PROFILE_FIELDS, type ProfileField } from "../../lib/profile-fields";
import { newer, SHOWN_FIELD, type ProfileValues } from "../../lib/profile-values";
import { updateProfile, type ProfileState } from "./profile-actions";

export function ProfileForm({ stored }: { stored: ProfileValues }) {
  const t = useTranslations("profile");
  const [state, formAction, pending] = useActionState<ProfileState, FormData>(updateProfile, undefined);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusOnError(formRef, state);
  const shown = newer(stored, state?.saved);
  const values = state?.typed ?? shown;
  return (
    <form action={formAction} aria-label={t("formLabel")} ref={formRef} className="form-grid">
      <input type="hidden" name={SHOWN_FIELD} value={JSON.stringify(shown)} />
      <FormErrorContext value={state?.field ? { field: state.field, error: state.error } : undefined}>
        <Field name="name" label={t("name")} defaultValue={values.name} autoComplete="name" maxLength={NAME_MAX} />
        {PROFILE_FIELDS.map((f) => (
          <ProfileInput key={f.key} field={f} label={t(f.key)} value={values[f.key]} />
        ))}
      </FormErrorContext>
      <FormOutcome error={state?.field ? undefined : state?.error} ok={state?.ok} />
      <SubmitButton pending={pending} label={t("submit")} pendingLabel={t("pending")} />
    </form>
  );
}

function ProfileInput({ field, label, value }: { field: ProfileField; label: string; value: string }) {
  const { input } = field;
  if (input.type === "textarea") return <Field name={field.key} label={label} multiline defaultValue={value} rows={4} maxLength={input.maxLength} />;
  if (input.type === "number") {
    return <Field name={field.key} label={label} type="number" inputMode="numeric" step={1} min={input.min} max={input.max} defaultValue={value} />;
  }
  return (
    <Field
      name={field.key}
      label={label}
      type={input.type}
      defaultValue={value}
      maxLength={input.maxLength}
      autoComplete={field.autoComplete}
      placeholder={input.type === "url" ? "https://example.com" : undefined}
    />
  );
}
