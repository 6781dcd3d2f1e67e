// next-intl's per-request configuration (aliased as `next-intl/config` in next.config.ts):
// the locale negotiated from the cookie and Accept-Language, and that locale's messages.
import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, negotiateLocale, type Locale } from "./locales";
import en from "../messages/en.json";
import fr from "../messages/fr.json";

const catalogs: Record<Locale, typeof en> = { en, fr };

export default getRequestConfig(async () => {
  const locale = negotiateLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
  // Server-rendered dates say "UTC" where they appear; the browser formats its own in local time.
  return { locale, messages: catalogs[locale], timeZone: "UTC" };
});
