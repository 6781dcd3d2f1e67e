// The header's language switcher: one button per language, the current one pressed. It posts
// to a server action with the page to come back to (proxy.ts tells the layout which page it is).
import { getLocale, getTranslations } from "next-intl/server";
import { headers } from "next/headers";
import { LOCALES } from "../i18n/locales";
import { setLocale } from "../i18n/locale-action";
import { CURRENT_PATH_HEADER } from "../lib/current-path";

export async function LanguageSwitcher() {
  const t = await getTranslations("language");
  const current = await getLocale();
  const returnTo = (await headers()).get(CURRENT_PATH_HEADER) ?? "/";
  return (
    <form action={setLocale} className="language-switcher" aria-label={t("label")}>
      <input type="hidden" name="returnTo" value={returnTo} />
      {LOCALES.map((l) => (
        <button key={l} type="submit" name="locale" value={l} lang={l} className="button link" aria-pressed={l === current}>
          {t(l)}
        </button>
      ))}
    </form>
  );
}
