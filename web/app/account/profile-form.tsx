"use client";
// The profile form. Its inputs start from the account as stored: the page's (revalidated after
// every save) or the one the last save answered with, whichever is newer. React resets a form
// to those defaults once its action completes, so after a save the inputs show what was stored.
// The form also carries those stored values (hidden), so the next save sends only what the
// person changed, with or without JavaScript.
import { useTranslations } from "next-intl";
import { useActionState, useRef } from "react";
import { useFocusOnError } from "../../components/action-form";
import { Field, FormErrorContext, FormOutcome, SubmitButton } from "../../components/form-parts";
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
    <form action={formAction} aria-label={t("formLabel")} ref={formRef}>
      <input type="hidden" name={SHOWN_FIELD} value={JSON.stringify(shown)} />
      <FormErrorContext value={state?.field ? { field: state.field, error: state.error } : undefined}>
        <Field name="name" label={t("name")} defaultValue={values.name} autoComplete="name" maxLength={100} />
        <Field name="companyName" label={t("companyName")} defaultValue={values.companyName} autoComplete="organization" />
        <Field name="website" label={t("website")} type="url" defaultValue={values.website} placeholder="https://example.com" />
        <Field name="country" label={t("country")} defaultValue={values.country} autoComplete="country-name" />
        <Field name="about" label={t("about")} multiline defaultValue={values.about} rows={3} />
      </FormErrorContext>
      <FormOutcome error={state?.field ? undefined : state?.error} ok={state?.ok} />
      <SubmitButton pending={pending} label={t("submit")} pendingLabel={t("pending")} />
    </form>
  );
}
