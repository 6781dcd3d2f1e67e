// The security page: the authenticator app, the recovery codes and the passkeys (section
// id="passkeys", rendered by PasskeysSection).
import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { Metadata } from "next";
import Link from "next/link";
import { getLocale, getTranslations } from "next-intl/server";
import { PasskeysSection } from "../../../components/passkeys-section";
import { exactTime } from "../../../lib/relative-time";
import { webConfig } from "../../../lib/server/config";
import { tessera } from "../../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../../lib/server/session";
import { RecoveryCodesSection } from "./recovery-codes-section";
import { TotpSection } from "./totp-section";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("security"))("title") };
}

export default async function SecurityPage() {
  const session = await requireSession("/account/security");
  const [factors, methods] = await Promise.all([
    orSignIn(tessera().user.getSecondFactors({}, asUser(session))),
    orSignIn(tessera().user.listSignInMethods({}, asUser(session))),
  ]);
  const [t, locale] = await Promise.all([getTranslations("security"), getLocale()]);
  const product = webConfig().productName;
  const hasSecondFactor = factors.totpEnabled || factors.passkeyCount > 0;
  return (
    <>
      <p>
        <Link href="/account">{t("back")}</Link>
      </p>
      <h1>{t("heading")}</h1>
      <TotpSection
        enabled={factors.totpEnabled}
        enabledSince={factors.totpEnabledTime ? exactTime(timestampDate(factors.totpEnabledTime), locale) : undefined}
        hasPassword={methods.hasPassword}
        product={product}
        passkeys={factors.passkeyCount > 0}
      />
      <PasskeysSection hasPassword={methods.hasPassword} totpEnabled={factors.totpEnabled} />
      <RecoveryCodesSection hasSecondFactor={hasSecondFactor} remaining={factors.recoveryCodesRemaining} hasPassword={methods.hasPassword} product={product} passkeys={factors.passkeyCount > 0} />
    </>
  );
}
