"use client";
import { signIn, signOut } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { FormOutcome, SubmitButton } from "../../components/form-parts";

/** Email + password sign-in through next-auth's Credentials provider (AuthService.Login). */
export function SignInForm({ callbackUrl, clearSession }: { callbackUrl: string; clearSession: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  // The session ended on the server (revoked elsewhere): drop the stale cookie too.
  useEffect(() => {
    if (clearSession) void signOut({ redirect: false });
  }, [clearSession]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl,
    });
    setPending(false);
    if (!res || res.error) {
      setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Wrong email or password.");
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} aria-label="Sign in with email and password">
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <FormOutcome error={error} />
      <SubmitButton pending={pending} label="Sign in" pendingLabel="Signing in…" />
    </form>
  );
}

export function ProviderButton({ id, name, callbackUrl }: { id: string; name: string; callbackUrl: string }) {
  return (
    <button type="button" onClick={() => void signIn(id, { callbackUrl })}>
      Continue with {name}
    </button>
  );
}
