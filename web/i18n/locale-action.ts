"use server";
// The language switcher's action: remembers the chosen language in the `locale` cookie and
// returns to the page the person was on. A plain form post, so it works without JavaScript.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { webConfig } from "../lib/server/config";
import { safeReturnPath } from "../lib/server/return-path";
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE } from "./locales";

export async function setLocale(form: FormData): Promise<void> {
  const locale = form.get("locale");
  if (isLocale(locale)) {
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: LOCALE_COOKIE_MAX_AGE, httpOnly: true, secure: webConfig().production });
  }
  redirect(safeReturnPath(String(form.get("returnTo") ?? ""), "/", webConfig().appOrigin));
}
