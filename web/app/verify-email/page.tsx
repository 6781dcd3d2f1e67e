import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MailedLinkForm } from "../../components/mailed-link-form";
import { verifyEmail } from "../actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("verifyEmail"))("title") };
}

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("verifyEmail");
  const text = { heading: t("heading"), submit: t("submit"), pending: t("pending"), formLabel: t("formLabel"), incomplete: t("incomplete"), toAccount: t("toAccount") };
  return <MailedLinkForm token={token} action={verifyEmail} text={text} />;
}
