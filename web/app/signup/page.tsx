import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";
import { webConfig } from "../../lib/server/config";
import { SignUpForm } from "./signup-form";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("signup"))("title") };
}

export default async function SignUpPage() {
  const t = await getTranslations("signup");
  return (
    <div className="narrow">
      <h1>{t("heading", { product: webConfig().productName })}</h1>
      <div className="card">
        <SignUpForm />
      </div>
      <p>
        {t("haveAccount")} <Link href="/signin">{t("signIn")}</Link>
      </p>
    </div>
  );
}
