// The languages the web app speaks and how a request picks one. No locale in the URL: the
// `locale` cookie (set by the language switcher) wins, else the browser's Accept-Language.

export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
/** The cookie the language switcher sets. */
export const LOCALE_COOKIE = "locale";
/** How long the switcher's choice is remembered (one year, in seconds). */
export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600;

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of LOCALES for an Accept-Language header ("fr-CA,fr;q=0.9,en;q=0.8"): languages by
 * falling quality, matched on their primary subtag; q=0 means "not this one".
 */
export function fromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q ? Number(q.slice(2)) : 1;
      return { lang: tag.trim().toLowerCase().split("-")[0], quality: Number.isFinite(quality) ? quality : 0, i };
    })
    .filter((l) => l.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.i - b.i);
  return ranked.map((l) => l.lang).find(isLocale);
}

/** The locale of a request: the cookie's if it names one we speak, else Accept-Language's, else English. */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): Locale {
  return isLocale(cookie) ? cookie : (fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE);
}

/** The locale of a request given its raw headers (Node's IncomingHttpHeaders, as next-auth's authorize sees them). */
export function localeOfHeaders(headers: Record<string, string | string[] | undefined>): Locale {
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(",") : v);
  const cookie = one(headers.cookie)
    ?.split(";")
    .map((c) => c.trim().split("="))
    .find(([name]) => name === LOCALE_COOKIE)?.[1];
  return negotiateLocale(cookie, one(headers["accept-language"]));
}
