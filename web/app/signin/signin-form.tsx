"use client";
import { signIn, signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Field, FormOutcome, SubmitButton } from "../../components/form-parts";
import { decodeCredentialsError } from "../../lib/credentials-error";
import { SECOND_FACTOR_DUE, SECOND_FACTOR_PATH } from "../../lib/second-factor";

/**
 * Email + password sign-in through next-auth's Credentials provider (AuthService.Login). The
 * email field also offers the browser's passkeys for this site ("webauthn" autofill, see
 * PasskeySignIn).
 */
export function SignInForm({ callbackUrl, clearSession }: { callbackUrl: string; clearSession: boolean }) {
  const t = useTranslations("signin");
  const tf = useTranslations("forms");
  const router = useRouter();
  const errorId = useId();
  const errorRef = useRef<HTMLDivElement>(null);
  // A new object per failure, so a second identical failure moves focus again.
  const [failure, setFailure] = useState<{ message: string }>();
  const [pending, setPending] = useState(false);

  // The session ended on the server (revoked elsewhere): drop the stale cookie too.
  useEffect(() => {
    if (clearSession) void signOut({ redirect: false });
  }, [clearSession]);

  // Wrong email or password concerns both fields: the summary says so and takes the focus.
  useEffect(() => {
    if (failure) errorRef.current?.querySelector<HTMLElement>("[role=alert]")?.focus();
  }, [failure]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setFailure(undefined);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl,
    });
    if (res?.error === SECOND_FACTOR_DUE) {
      // The password was right; the challenge is in a sealed cookie the server set.
      router.push(`${SECOND_FACTOR_PATH}?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      return;
    }
    setPending(false);
    if (!res || res.error) {
      setFailure({ message: res?.error && res.error !== "CredentialsSignin" ? decodeCredentialsError(res.error).error : t("wrongCredentials") });
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  const invalid = !!failure;
  return (
    <form onSubmit={onSubmit} aria-label={t("formLabel")}>
      <Field name="email" label={tf("email")} type="email" autoComplete="username webauthn" required invalid={invalid} describedBy={failure ? errorId : undefined} />
      <Field name="password" label={tf("password")} type="password" autoComplete="current-password" required invalid={invalid} describedBy={failure ? errorId : undefined} />
      <div ref={errorRef}>
        <FormOutcome error={failure?.message} id={errorId} />
      </div>
      <SubmitButton pending={pending} label={t("submit")} pendingLabel={t("pending")} />
    </form>
  );
}

export function ProviderButton({ id, name, callbackUrl }: { id: string; name: string; callbackUrl: string }) {
  const t = useTranslations("signin");
  return (
    <button type="button" className="button secondary" onClick={() => void signIn(id, { callbackUrl })}>
      {t("continueWith", { provider: name })}
    </button>
  );
}
