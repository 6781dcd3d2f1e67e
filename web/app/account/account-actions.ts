"use server";
// The account page's heavier tasks: moving to a new email address and deleting the account.
import { unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "../../components/action-form";
import { errorDetail, userMessage } from "../../lib/server/errors";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../lib/server/session";

/** Mails a confirmation link to the new address; the address changes only when it is opened. */
export async function requestEmailChange(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession("/account");
  const t = await getTranslations("email");
  const newEmail = String(form.get("newEmail") ?? "").trim();
  try {
    await orSignIn(tessera().user.requestEmailChange({ newEmail, password: String(form.get("password") ?? "") }, asUser(session)));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    const reason = errorDetail(err)?.reason;
    if (reason === "auth.invalid_credentials") return { error: t("wrongPassword"), field: "password" };
    if (reason === "auth.recent_sign_in_required") return { error: t("recentSignIn") };
    return { error: await userMessage(err) };
  }
  return { ok: t("linkSent", { email: newEmail }) };
}

/**
 * Deletes the account. The page signs the browser out when this answers ok; the auth service
 * has already ended every session by then.
 */
export async function deleteAccount(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession("/account");
  const t = await getTranslations("deleteAccount");
  try {
    await orSignIn(tessera().user.deleteAccount({ password: String(form.get("password") ?? "") }, asUser(session)));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    const reason = errorDetail(err)?.reason;
    if (reason === "auth.invalid_credentials") return { error: t("wrongPassword"), field: "password" };
    if (reason === "auth.recent_sign_in_required") return { error: t("recentSignIn") };
    return { error: await userMessage(err) };
  }
  return { ok: t("deleted") };
}
