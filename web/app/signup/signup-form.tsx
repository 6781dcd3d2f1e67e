"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormOutcome, SubmitButton } from "../../components/form-parts";

/** Creates the account (AuthService.Register through the Credentials provider) and signs in. */
export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== String(form.get("confirm") ?? "")) {
      setError("The two passwords differ.");
      return;
    }
    setPending(true);
    setError(undefined);
    const res = await signIn("credentials", {
      redirect: false,
      mode: "register",
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password,
    });
    setPending(false);
    if (!res || res.error) {
      setError(res?.error ?? "Could not create the account. Try again.");
      return;
    }
    router.push("/check-email");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} aria-label="Create an account">
      <label>
        Name
        <input name="name" autoComplete="name" maxLength={100} />
      </label>
      <label>
        Email
        <input name="email" type="email" autoComplete="email" required />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="new-password" required minLength={8} aria-describedby="password-help" />
      </label>
      <p id="password-help" className="muted">
        At least 8 characters; avoid common words and passwords.
      </p>
      <label>
        Confirm password
        <input name="confirm" type="password" autoComplete="new-password" required />
      </label>
      <FormOutcome error={error} />
      <SubmitButton pending={pending} label="Create account" pendingLabel="Creating your account…" />
    </form>
  );
}
