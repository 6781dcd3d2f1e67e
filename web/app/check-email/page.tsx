import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { webConfig } from "../../lib/server/config";
import { requireSession } from "../../lib/server/session";
import { resendVerification } from "../actions";

export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage() {
  const session = await requireSession("/check-email");
  return (
    <>
      <h1>Check your email</h1>
      <p>
        We sent a verification link to <strong>{session.user.email}</strong>. Open it to confirm the address is yours. The link works
        once and expires after a while.
      </p>
      {webConfig().production ? null : (
        <p className="alert info">
          Development: mails are not sent anywhere. Read them in the <Link href="/dev/mailbox">development mailbox</Link>.
        </p>
      )}
      <ActionForm action={resendVerification} submit="Send the link again" label="Send the verification link again" />
      <p>
        <Link href="/account">Continue to your account</Link>
      </p>
    </>
  );
}
