import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { ActionForm } from "../../components/action-form";
import { webConfig } from "../../lib/server/config";
import { requireSession } from "../../lib/server/session";
import { resendVerification } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("checkEmail"))("title") };
}

export default async function CheckEmailPage() {
  const session = await requireSession("/check-email");
  const t = await getTranslations("checkEmail");
  return (
    <div className="narrow">
      <h1>{t("heading")}</h1>
      <p>{t.rich("sentTo", { email: session.user.email ?? "", strong: (chunks) => <strong>{chunks}</strong> })}</p>
      {webConfig().production ? null : (
        <p className="alert info">{t.rich("devMailbox", { link: (chunks) => <Link href="/dev/mailbox">{chunks}</Link> })}</p>
      )}
      <ActionForm action={resendVerification} submit={t("resend")} label={t("resendLabel")} />
      <p>
        <Link href="/account">{t("continue")}</Link>
      </p>
    </div>
  );
}
