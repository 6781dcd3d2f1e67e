// The second step of sign-in. The first step (password, or an OAuth provider) left a sealed
// challenge in an httpOnly cookie; this page opens it on the server to learn which proofs the
// account accepts (and, for a passkey, the WebAuthn options), never the challenge token itself.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { redirect } from "next/navigation";
import { webConfig } from "../../../lib/server/config";
import { safeReturnPath } from "../../../lib/server/return-path";
import { pendingSignIn } from "../../../lib/server/second-factor/second-step";
import { currentSession } from "../../../lib/server/session";
import { SecondFactorForm } from "./second-factor-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("secondStep"))("title") };
}

export default async function SecondFactorPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const q = await searchParams;
  const callbackUrl = safeReturnPath(q.callbackUrl, "/account", webConfig().appOrigin);
  if (await currentSession()) redirect(callbackUrl);
  const pending = await pendingSignIn();
  if (!pending) redirect(`/signin?error=SecondFactorExpired&callbackUrl=${encodeURIComponent(callbackUrl)}`);
  const t = await getTranslations("secondStep");
  return (
    <div className="narrow">
      <h1>{t("heading")}</h1>
      <div className="card">
        <SecondFactorForm methods={pending.methods} passkeyOptionsJson={pending.passkeyOptionsJson} callbackUrl={callbackUrl} />
      </div>
      <p>
        <Link href={`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`}>{t("startOver")}</Link>
      </p>
    </div>
  );
}
