import { invalidArgument } from "./errors.js";

/** The languages of pages and mail. Adding one: a catalog in mail/templates/, then here. */
export const LOCALES = ["en", "fr"] as const;

/** A language a user reads Tessera in (User.locale). */
export type Locale = (typeof LOCALES)[number];

/** The language of accounts that chose none (and of rows written before the column existed). */
export const DEFAULT_LOCALE: Locale = "en";

/** Whether `value` is one of LOCALES. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * A locale from a request: "" means DEFAULT_LOCALE; anything not in LOCALES is
 * INVALID_ARGUMENT naming `field`. Exact spelling only ("en", not "EN" or "en-GB"), so what
 * is stored is what every reader compares against.
 */
export function parseLocale(value: string, field: string): Locale {
  if (value === "") return DEFAULT_LOCALE;
  if (isLocale(value)) return value;
  throw invalidArgument(field, `must be one of ${LOCALES.map((l) => `"${l}"`).join(", ")}, or empty for "${DEFAULT_LOCALE}"`);
}

/** A stored locale, read leniently: an unknown value (a language since removed) reads as DEFAULT_LOCALE. */
export function storedLocale(value: string | null | undefined): Locale {
  return isLocale(value) ? value : DEFAULT_LOCALE;
}
