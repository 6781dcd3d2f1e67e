import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { verifyEmail } from "../actions";

export const metadata: Metadata = { title: "Verify your email" };

// The link only opens this page; verifying takes a click (a POST), so mail scanners that
// prefetch links cannot spend the token.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <>
      <h1>Verify your email</h1>
      {token ? (
        <ActionForm action={verifyEmail} submit="Verify my email" pendingLabel="Verifying…" label="Verify email">
          <input type="hidden" name="token" value={token} />
        </ActionForm>
      ) : (
        <p role="alert" className="alert error">
          This link is incomplete. Open the link from the mail again, or request a new one from your account.
        </p>
      )}
      <p>
        <Link href="/account">Go to your account</Link>
      </p>
    </>
  );
}
