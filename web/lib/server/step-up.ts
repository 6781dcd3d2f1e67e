// What a sensitive form (it proves the person with their password or a recent sign-in, and
// with a second factor when the account has one) shows when the auth service refuses: a wrong
// password under the password field, a missing or wrong code under the step-up field; these
// are UNAUTHENTICATED or FAILED_PRECONDITION yet not an ended session.
import "server-only";
import { redirect } from "next/navigation";
import type { ActionState } from "../../components/action-form";
import { errorDetail, isUnauthenticated, userError } from "./errors";

export async function stepUpRefusal(err: unknown, messages: { wrongPassword: string; recentSignIn: string }, passwordField = "password"): Promise<ActionState> {
  const reason = errorDetail(err)?.reason;
  if (reason === "auth.invalid_credentials") return { error: messages.wrongPassword, field: passwordField };
  if (reason === "auth.recent_sign_in_required") return { error: messages.recentSignIn };
  if (reason === "auth.invalid_second_factor" || reason === "auth.second_factor_required") return userError(err);
  if (isUnauthenticated(err)) redirect("/signin?error=SessionEnded");
  return userError(err);
}

/** The step-up code a form sent ("" when the form had no step-up field). */
export function secondFactorCode(form: FormData): string {
  return String(form.get("secondFactorCode") ?? "").trim();
}
