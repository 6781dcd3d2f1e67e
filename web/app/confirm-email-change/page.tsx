import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MailedLinkForm } from "../../components/mailed-link-form";
import { confirmEmailChange } from "./actions";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("confirmEmail"))("title") };
}

export default async function ConfirmEmailChangePage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const t = await getTranslations("confirmEmail");
  const text = { heading: t("title"), submit: t("submit"), pending: t("pending"), formLabel: t("title"), incomplete: t("incomplete"), toAccount: t("toAccount") };
  return <MailedLinkForm token={token} action={confirmEmailChange} text={text} />;
}
