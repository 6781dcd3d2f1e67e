"use server";
// The account page's heavier tasks: moving to a new email address and deleting the account.
// Both prove the person first (password, or a recent sign-in, and a second factor when the
// account has one), so a wrong password or code, though UNAUTHENTICATED, is the form's error
// and not an ended session.
import { unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "../../components/action-form";
import { tessera } from "../../lib/server/rpc";
import { asUser, requireSession } from "../../lib/server/session";
import { secondFactorCode, stepUpRefusal } from "../../lib/server/step-up";

/** What the form shows when the identity check refused, or what any other failure means. */
function refusal(err: unknown, t: (key: "wrongPassword" | "recentSignIn") => string): Promise<ActionState> {
  return stepUpRefusal(err, { wrongPassword: t("wrongPassword"), recentSignIn: t("recentSignIn") });
}

/** Mails a confirmation link to the new address; the address changes only when it is opened. */
export async function requestEmailChange(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession("/account");
  const t = await getTranslations("email");
  const newEmail = String(form.get("newEmail") ?? "").trim();
  try {
    await tessera().user.requestEmailChange({ newEmail, password: String(form.get("password") ?? ""), secondFactorCode: secondFactorCode(form) }, asUser(session));
  } catch (err) {
    unstable_rethrow(err);
    return refusal(err, t);
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
    await tessera().user.deleteAccount({ password: String(form.get("password") ?? ""), secondFactorCode: secondFactorCode(form) }, asUser(session));
  } catch (err) {
    unstable_rethrow(err);
    return refusal(err, t);
  }
  return { ok: t("deleted") };
}
