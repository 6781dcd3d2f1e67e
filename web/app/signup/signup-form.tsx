"use client";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { useFocusOnError } from "../../components/action-form";
import { Field, FormErrorContext, FormOutcome, SubmitButton } from "../../components/form-parts";
import { decodeCredentialsError } from "../../lib/credentials-error";

/** Creates the account (AuthService.Register through the Credentials provider) and signs in. */
export function SignUpForm() {
  const t = useTranslations("signup");
  const tf = useTranslations("forms");
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, setState] = useState<{ error: string; field?: string }>();
  const [pending, setPending] = useState(false);
  useFocusOnError(formRef, state);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setState({ error: tf("passwordsDiffer"), field: "confirm" });
      return;
    }
    setPending(true);
    setState(undefined);
    const res = await signIn("credentials", {
      redirect: false,
      mode: "register",
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password,
    });
    setPending(false);
    if (!res || res.error) {
      setState(decodeCredentialsError(res?.error ?? t("failed")));
      return;
    }
    router.push("/check-email");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} aria-label={t("formLabel")} ref={formRef}>
      <FormErrorContext value={state?.field ? { field: state.field, error: state.error } : undefined}>
        <Field name="name" label={t("name")} autoComplete="name" maxLength={100} />
        <Field name="email" label={tf("email")} type="email" autoComplete="email" required />
        <Field name="password" label={tf("password")} type="password" autoComplete="new-password" required minLength={8} hint={tf("passwordHint")} />
        <Field name="confirm" label={t("confirmPassword")} type="password" autoComplete="new-password" required />
      </FormErrorContext>
      <FormOutcome error={state?.field ? undefined : state?.error} />
      <SubmitButton pending={pending} label={t("submit")} pendingLabel={t("pending")} />
    </form>
  );
}
