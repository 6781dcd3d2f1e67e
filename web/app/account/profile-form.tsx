"use client";
// The profile form. Its inputs start from the account as stored: the page's (revalidated after
// every save) or the one the last save answered with, whichever is newer. React resets a form
// to those defaults once its action completes, so after a save the inputs show what was stored.
// The form also carries those stored values (hidden), so the next save sends only what the
// person changed, with or without JavaScript.
import { useActionState } from "react";
import { FormOutcome, SubmitButton } from "../../components/form-parts";
import { newer, SHOWN_FIELD, type ProfileValues } from "../../lib/profile-values";
import { updateProfile, type ProfileState } from "./profile-actions";

export function ProfileForm({ stored }: { stored: ProfileValues }) {
  const [state, formAction, pending] = useActionState<ProfileState, FormData>(updateProfile, undefined);
  const shown = newer(stored, state?.saved);
  const values = state?.typed ?? shown;
  return (
    <form action={formAction} aria-label="Profile">
      <input type="hidden" name={SHOWN_FIELD} value={JSON.stringify(shown)} />
      <label>
        Name
        <input name="name" defaultValue={values.name} autoComplete="name" maxLength={100} />
      </label>
      <label>
        Company
        <input name="companyName" defaultValue={values.companyName} autoComplete="organization" />
      </label>
      <label>
        Website
        <input name="website" type="url" defaultValue={values.website} placeholder="https://example.com" />
      </label>
      <label>
        Country
        <input name="country" defaultValue={values.country} autoComplete="country-name" />
      </label>
      <label>
        About
        <textarea name="about" defaultValue={values.about} rows={3} />
      </label>
      <FormOutcome error={state?.error} ok={state?.ok} />
      <SubmitButton pending={pending} label="Save profile" pendingLabel="Saving…" />
    </form>
  );
}
