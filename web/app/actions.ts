"use server";
// Server actions behind the forms. Each returns a message for the page; none leaks whether an
// email has an account (the auth service answers reset requests the same either way).
import { redirect, unstable_rethrow } from "next/navigation";
import { headers } from "next/headers";
import type { ActionState } from "../components/action-form";
import { relayHeaders } from "../lib/server/client-info";
import { errorDetail, isUnauthenticated, userMessage } from "../lib/server/errors";
import { tessera } from "../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../lib/server/session";

const text = (form: FormData, name: string) => String(form.get(name) ?? "").trim();

export async function requestPasswordReset(_: ActionState, form: FormData): Promise<ActionState> {
  try {
    await tessera().auth.requestPasswordReset({ email: text(form, "email") }, { headers: relayHeaders(await headers()) });
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return { error: userMessage(err) };
  }
  return { ok: "If an account uses this email, we have sent it a link to reset the password. The link works once and expires soon." };
}

export async function resetPassword(_: ActionState, form: FormData): Promise<ActionState> {
  const newPassword = String(form.get("password") ?? "");
  if (newPassword !== String(form.get("confirm") ?? "")) return { error: "The two passwords differ." };
  try {
    await tessera().auth.resetPassword({ token: text(form, "token"), newPassword }, { headers: relayHeaders(await headers()) });
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return { error: userMessage(err) };
  }
  redirect("/signin?reset=1");
}

export async function verifyEmail(_: ActionState, form: FormData): Promise<ActionState> {
  try {
    await tessera().auth.verifyEmail({ token: text(form, "token") }, { headers: relayHeaders(await headers()) });
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return { error: userMessage(err) };
  }
  return { ok: "Your email is verified. Thank you!" };
}

export async function resendVerification(_: ActionState): Promise<ActionState> {
  const session = await requireSession("/account");
  try {
    await orSignIn(tessera().auth.requestEmailVerification({}, asUser(session)));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return { error: userMessage(err) };
  }
  return { ok: "We sent you a new verification link." };
}

export async function changePassword(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession("/account");
  const newPassword = String(form.get("newPassword") ?? "");
  if (newPassword !== String(form.get("confirm") ?? "")) return { error: "The two new passwords differ." };
  try {
    await tessera().user.changePassword({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword }, asUser(session));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    if (errorDetail(err)?.reason === "auth.invalid_credentials") return { error: "The current password is wrong." };
    if (isUnauthenticated(err)) redirect("/signin?error=SessionEnded");
    return { error: userMessage(err) };
  }
  return { ok: "Password changed. Your other sessions have been signed out." };
}

/** Ends every session of the user, this one included; the page then clears its cookie. */
export async function signOutEverywhere(): Promise<ActionState> {
  const session = await requireSession("/account");
  try {
    await tessera().user.revokeAllSessions({ keepCurrent: false }, asUser(session));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    // Already ended elsewhere: the outcome the user asked for.
    if (!isUnauthenticated(err)) return { error: userMessage(err) };
  }
  return { ok: "Signed out everywhere." };
}
