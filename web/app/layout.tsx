import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { LanguageSwitcher } from "../components/language-switcher";
import { clientInfo } from "../lib/server/client-info";
import { webConfig } from "../lib/server/config";
import { isLoopback } from "../lib/server/forwarded-headers";
import { currentSession } from "../lib/server/session";
import "./globals.css";

// Every page depends on the visitor's session, language and on runtime configuration (secrets
// are read when serving, never at build time).
export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("layout");
  const product = webConfig().productName;
  return { title: { default: t("brand", { product }), template: t("titleTemplate", { product }) } };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  const t = await getTranslations("layout");
  // The mailbox link only where the mailbox answers (development, from this machine).
  const dev = !webConfig().production && isLoopback(clientInfo(await headers()).ipAddress);
  return (
    <html lang={await getLocale()}>
      <body>
        <NextIntlClientProvider>
          <a href="#main" className="skip-link">
            {t("skipToContent")}
          </a>
          <header className="site-header">
            <div className="site-header-inner">
              <Link href="/" className="brand">
                {t("brand", { product: webConfig().productName })}
              </Link>
              <nav aria-label={t("mainNav")} className="site-nav">
                {session ? <Link href="/account">{t("account")}</Link> : <Link href="/signin">{t("signIn")}</Link>}
                {session ? null : <Link href="/signup">{t("signUp")}</Link>}
                {dev ? <Link href="/dev/mailbox">{t("mailbox")}</Link> : null}
              </nav>
              <LanguageSwitcher />
            </div>
          </header>
          <main id="main" tabIndex={-1}>
            {children}
          </main>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
