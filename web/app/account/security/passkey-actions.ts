"use server";
// The passkeys section's calls to UserService. Adding one is a WebAuthn ceremony run by the
// browser between two calls here (Begin → navigator.credentials.create → Finish), so these
// take and return plain values (the options and the answer as JSON text) rather than forms;
// renaming and deleting are ordinary form actions. The WebAuthn challenge never needs to be
// held here: the auth service binds it to this session.
import { revalidatePath } from "next/cache";
import { redirect, unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "../../../components/action-form";
import { errorDetail, isUnauthenticated, userError } from "../../../lib/server/errors";
import { tessera } from "../../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../../lib/server/session";
import { secondFactorCode, stepUpRefusal } from "../../../lib/server/step-up";

const PAGE = "/account/security";

/** WebAuthn options for the browser, or why there are none. */
export type CeremonyStart = { optionsJson: string; error?: undefined } | { optionsJson?: undefined; error: string; field?: string };

/**
 * Confirms who this is (password, or a recent sign-in for accounts without one) and returns
 * the creation options for startRegistration.
 */
export async function beginPasskeyRegistration(password: string): Promise<CeremonyStart> {
  const session = await requireSession(PAGE);
  const t = await getTranslations("passkeys");
  try {
    const res = await tessera().user.beginPasskeyRegistration({ password }, asUser(session));
    return { optionsJson: res.optionsJson };
  } catch (err) {
    const reason = errorDetail(err)?.reason;
    if (reason === "auth.invalid_credentials") return { error: t("wrongPassword"), field: "password" };
    if (reason === "auth.recent_sign_in_required") return { error: t("recentSignIn") };
    if (isUnauthenticated(err)) redirect("/signin?error=SessionEnded");
    return userError(err);
  }
}

export type RegistrationOutcome = { ok: string; recoveryCodes: string[]; error?: undefined } | { ok?: undefined; error: string; field?: string };

/** Stores the passkey the browser just created; the first second factor brings recovery codes. */
export async function finishPasskeyRegistration(responseJson: string, name: string): Promise<RegistrationOutcome> {
  const session = await requireSession(PAGE);
  const t = await getTranslations("passkeys");
  let res;
  try {
    res = await orSignIn(tessera().user.finishPasskeyRegistration({ responseJson, name: name.trim() }, asUser(session)));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return userError(err);
  }
  revalidatePath(PAGE);
  return { ok: t("addedOk", { name: res.passkey?.name ?? name }), recoveryCodes: res.recoveryCodes };
}

export async function renamePasskey(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession(PAGE);
  const t = await getTranslations("passkeys");
  try {
    await orSignIn(tessera().user.renamePasskey({ passkeyId: String(form.get("passkeyId") ?? ""), name: String(form.get("name") ?? "").trim() }, asUser(session)));
  } catch (err) {
    unstable_rethrow(err);
    return userError(err);
  }
  revalidatePath(PAGE);
  return { ok: t("renamed") };
}

/** Needs the password (or a recent sign-in) and a second factor: a code or a passkey step-up token. */
export async function deletePasskey(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession(PAGE);
  const t = await getTranslations("passkeys");
  try {
    await tessera().user.deletePasskey(
      {
        passkeyId: String(form.get("passkeyId") ?? ""),
        password: String(form.get("password") ?? ""),
        secondFactorCode: secondFactorCode(form),
      },
      asUser(session),
    );
  } catch (err) {
    unstable_rethrow(err);
    return stepUpRefusal(err, { wrongPassword: t("deleteWrongPassword"), recentSignIn: t("deleteRecentSignIn") });
  }
  revalidatePath(PAGE);
  return { ok: t("deleted") };
}
