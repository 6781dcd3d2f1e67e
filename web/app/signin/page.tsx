import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { webConfig } from "../../lib/server/config";
import { currentSession } from "../../lib/server/session";
import { safeReturnPath } from "../../lib/server/return-path";
import { PasskeySignIn } from "./passkey-sign-in";
import { ProviderButton, SignInForm } from "./signin-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signin"))("title") };
}

/** next-auth's and the app's `?error=` codes that have a message of their own. */
const ERROR_CODES = ["LinkRefused", "EmailNotVerified", "SessionEnded", "OAuthSignin", "OAuthCallback", "OAuthAccountNotLinked", "AccessDenied", "SecondFactorExpired"] as const;
type ErrorCode = (typeof ERROR_CODES)[number];
const isErrorCode = (v: string): v is ErrorCode => (ERROR_CODES as readonly string[]).includes(v);

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const q = await searchParams;
  const t = await getTranslations("signin");
  const cfg = webConfig();
  const callbackUrl = safeReturnPath(q.callbackUrl, "/account", cfg.appOrigin);
  const ended = q.error === "SessionEnded";
  if (!ended && (await currentSession())) redirect(callbackUrl);
  const providers = [...(cfg.google ? [{ id: "google", name: "Google" }] : []), ...(cfg.oidc ? [{ id: "oidc", name: cfg.oidc.name }] : [])];
  const message = q.error ? t(`errors.${isErrorCode(q.error) ? q.error : "default"}`) : undefined;
  return (
    <div className="narrow">
      <h1>{t("heading")}</h1>
      {message ? (
        <p role="alert" className="alert error">
          {message}
        </p>
      ) : null}
      {q.deleted === "1" ? (
        <p role="status" className="alert success">
          {t("accountDeleted")}
        </p>
      ) : null}
      {q.reset === "1" ? (
        <p role="status" className="alert success">
          {t("passwordReset")}
        </p>
      ) : null}
      <div className="card">
        <SignInForm callbackUrl={callbackUrl} clearSession={ended} />
        <PasskeySignIn callbackUrl={callbackUrl} />
        <p>
          <Link href="/forgot-password">{t("forgot")}</Link>
        </p>
      </div>
      {providers.length ? (
        <section aria-label={t("otherWays")} className="row">
          {providers.map((p) => (
            <ProviderButton key={p.id} id={p.id} name={p.name} callbackUrl={callbackUrl} />
          ))}
        </section>
      ) : null}
      <p>
        {t("noAccount")} <Link href="/signup">{t("createOne")}</Link>
      </p>
    </div>
  );
}
