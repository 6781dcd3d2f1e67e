// Types every t("…") call against the English catalog, so a missing key fails `tsc -p web`.
import type en from "../messages/en.json";
import type { Locale } from "../i18n/locales";

declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: typeof en;
  }
}
