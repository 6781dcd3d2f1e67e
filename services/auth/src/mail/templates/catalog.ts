import type { Locale } from "../../kernel/locale.js";
import { en, type MessageKey } from "./catalog-en.js";
import { fr } from "./catalog-fr.js";

export type { MessageKey };

/** One catalog per language, every one with the keys of the English one. */
export const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** Values for a string's `{name}` placeholders (plain text; the layout escapes for HTML). */
export type Vars = Readonly<Record<string, string | number>>;

/**
 * The string `key` in `locale` with its placeholders filled. A placeholder without a value
 * throws: a mail must never go out with "{address}" in it.
 */
export function translate(locale: Locale, key: MessageKey, vars: Vars): string {
  return CATALOGS[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined) throw new Error(`mail string ${key} (${locale}) needs {${name}}`);
    return String(value);
  });
}

/** The `{name}` placeholders a catalog string uses, sorted. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}
