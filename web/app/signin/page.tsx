import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { webConfig } from "../../lib/server/config";
import { currentSession } from "../../lib/server/session";
import { safeReturnPath } from "../../lib/server/return-path";
import { ProviderButton, SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

const messages: Record<string, string> = {
  LinkRefused:
    "An account already uses this email, and the email is not verified on both sides, so the accounts were not linked. Sign in with your password (and verify your email) instead.",
  EmailNotVerified:
    "That provider has not verified this email address, so no account was created. Verify the address with the provider, or sign up with a password instead.",
  SessionEnded: "Your session has ended. Sign in again.",
  OAuthSignin: "Could not start signing in with that provider. Try again.",
  OAuthCallback: "Signing in with that provider failed. Try again.",
  OAuthAccountNotLinked: "An account already uses this email. Sign in with your password instead.",
  AccessDenied: "Sign-in was refused.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const q = await searchParams;
  const cfg = webConfig();
  const callbackUrl = safeReturnPath(q.callbackUrl, "/account", cfg.appOrigin);
  const ended = q.error === "SessionEnded";
  if (!ended && (await currentSession())) redirect(callbackUrl);
  const providers = [...(cfg.google ? [{ id: "google", name: "Google" }] : []), ...(cfg.oidc ? [{ id: "oidc", name: cfg.oidc.name }] : [])];
  const message = q.error ? (messages[q.error] ?? "Sign-in failed. Try again.") : undefined;
  return (
    <>
      <h1>Sign in</h1>
      {message ? (
        <p role="alert" className="alert error">
          {message}
        </p>
      ) : null}
      {q.reset === "1" ? (
        <p role="status" className="alert info">
          Your password was changed. Sign in with the new one.
        </p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} clearSession={ended} />
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      {providers.length ? (
        <section aria-label="Other ways to sign in" className="row">
          {providers.map((p) => (
            <ProviderButton key={p.id} id={p.id} name={p.name} callbackUrl={callbackUrl} />
          ))}
        </section>
      ) : null}
      <p>
        No account yet? <Link href="/signup">Create one</Link>
      </p>
    </>
  );
}
