"use client";
// What a page shows when rendering it failed (inside the layout, so in the page's language).
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useRef } from "react";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("errorPage");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="narrow empty-state" role="alert">
      <title>{t("title")}</title>
      <h1 tabIndex={-1} ref={heading}>
        {t("heading")}
      </h1>
      <p>{t("text")}</p>
      <p className="row">
        <button type="button" className="button primary" onClick={() => reset()}>
          {t("retry")}
        </button>
        <Link href="/" className="button secondary">
          {t("home")}
        </Link>
      </p>
    </div>
  );
}
