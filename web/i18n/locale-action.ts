"use server";
// The language switcher's action: remembers the chosen language in the `locale` cookie and
// returns to the page the person was on. A plain form post, so it works without JavaScript.
// For a signed-in person the account's locale follows, so mails come in the same language.
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { webConfig } from "../lib/server/config";
import { tessera } from "../lib/server/rpc";
import { asUser, currentSession } from "../lib/server/session";
import { safeReturnPath } from "../lib/server/return-path";
import { isLocale, LOCALE_COOKIE, LOCALE_COOKIE_MAX_AGE } from "./locales";

export async function setLocale(form: FormData): Promise<void> {
  const locale = form.get("locale");
  if (isLocale(locale)) {
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: LOCALE_COOKIE_MAX_AGE, httpOnly: true, secure: webConfig().production });
    const session = await currentSession();
    if (session?.accessToken) {
      // Best effort: the page switches language whether or not the account could be updated.
      await tessera()
        .user.updateProfile({ locale, updateMask: create(FieldMaskSchema, { paths: ["locale"] }) }, asUser({ accessToken: session.accessToken }))
        .catch((err: unknown) => console.error("tessera web: could not store the account's language", err));
    }
  }
  redirect(safeReturnPath(String(form.get("returnTo") ?? ""), "/", webConfig().appOrigin));
}
