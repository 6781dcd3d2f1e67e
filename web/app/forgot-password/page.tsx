import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { requestPasswordReset } from "../actions";

export const metadata: Metadata = { title: "Forgot your password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <h1>Forgot your password?</h1>
      <p>Enter your account&apos;s email. We will send it a link to choose a new password.</p>
      <ActionForm action={requestPasswordReset} submit="Send the reset link" pendingLabel="Sending…" label="Request a password reset">
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
      </ActionForm>
      <p>
        <Link href="/signin">Back to sign in</Link>
      </p>
    </>
  );
}
