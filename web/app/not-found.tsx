import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import Link from "next/link";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("notFound"))("title") };
}

export default async function NotFound() {
  const t = await getTranslations("notFound");
  return (
    <div className="narrow empty-state">
      <p className="empty-state-code" aria-hidden="true">
        404
      </p>
      <h1>{t("heading")}</h1>
      <p>{t("text")}</p>
      <p>
        <Link href="/" className="button primary">
          {t("home")}
        </Link>
      </p>
    </div>
  );
}
