import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { NewPasswordFields } from "../../components/form-parts";
import { resetPassword } from "../actions";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  if (!token) {
    return (
      <>
        <h1>Choose a new password</h1>
        <p role="alert" className="alert error">
          This link is incomplete. <Link href="/forgot-password">Request a new one</Link>.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Choose a new password</h1>
      <ActionForm action={resetPassword} submit="Change password" pendingLabel="Changing…" label="Choose a new password">
        <input type="hidden" name="token" value={token} />
        <NewPasswordFields name="password" />
      </ActionForm>
      <p className="muted">Changing the password signs you out on every device.</p>
    </>
  );
}
