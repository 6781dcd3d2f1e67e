"use server";
// Server actions behind the forms. Each returns a message for the page in the request's
// language (and, for an error about one input, its name); none leaks whether an email has an
// account (the auth service answers reset requests the same either way).
import { redirect, unstable_rethrow } from "next/navigation";
import { headers } from "next/headers";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "../components/action-form";
import { relayHeaders } from "../lib/server/client-info";
import { isUnauthenticated, userError } from "../lib/server/errors";
import { tessera } from "../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../lib/server/session";
import { secondFactorCode, stepUpRefusal } from "../lib/server/step-up";

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

export async function requestPasswordReset(_: ActionState, form: FormData): Promise<ActionState> {
  try {
    await tessera().auth.requestPasswordReset({ email: text(form, "email") }, { headers: relayHeaders(await headers()) });
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return userError(err);
  }
  return { ok: (await getTranslations("forgotPassword"))("sent") };
}

export async function resetPassword(_: ActionState, form: FormData): Promise<ActionState> {
  const newPassword = String(form.get("password") ?? "");
  if (newPassword !== String(form.get("confirm") ?? "")) return { error: (await getTranslations("forms"))("passwordsDiffer"), field: "confirm" };
  try {
    await tessera().auth.resetPassword({ token: text(form, "token"), newPassword }, { headers: relayHeaders(await headers()) });
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    const e = await userError(err);
    // The service names `new_password`; this form calls it `password`.
    return e.field === "newPassword" ? { ...e, field: "password" } : e;
  }
  redirect("/signin?reset=1");
}

export async function verifyEmail(_: ActionState, form: FormData): Promise<ActionState> {
  try {
    await tessera().auth.verifyEmail({ token: text(form, "token") }, { headers: relayHeaders(await headers()) });
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return userError(err);
  }
  return { ok: (await getTranslations("verifyEmail"))("verified") };
}

export async function resendVerification(_: ActionState): Promise<ActionState> {
  const session = await requireSession("/account");
  try {
    await orSignIn(tessera().auth.requestEmailVerification({}, asUser(session)));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return userError(err);
  }
  return { ok: (await getTranslations("checkEmail"))("resent") };
}

export async function changePassword(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession("/account");
  const newPassword = String(form.get("newPassword") ?? "");
  const t = await getTranslations("changePassword");
  if (newPassword !== String(form.get("confirm") ?? "")) return { error: (await getTranslations("forms"))("newPasswordsDiffer"), field: "confirm" };
  try {
    await tessera().user.changePassword(
      { currentPassword: String(form.get("currentPassword") ?? ""), newPassword, secondFactorCode: secondFactorCode(form) },
      asUser(session),
    );
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    // A wrong current password or step-up code is the form's error, not an ended session.
    return stepUpRefusal(err, { wrongPassword: t("wrongCurrent"), recentSignIn: (await getTranslations("errors"))("recentSignInRequired") }, "currentPassword");
  }
  return { ok: t("changed") };
}

/** Ends every session of the user, this one included; the page then clears its cookie. */
export async function signOutEverywhere(): Promise<ActionState> {
  const session = await requireSession("/account");
  try {
    await tessera().user.revokeAllSessions({ keepCurrent: false }, asUser(session));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    // Already ended elsewhere: the outcome the user asked for.
    if (!isUnauthenticated(err)) return userError(err);
  }
  return { ok: (await getTranslations("signOut"))("done") };
}
