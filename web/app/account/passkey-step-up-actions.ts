"use server";
// Proving a second factor with a passkey before a sensitive change (changing the password or
// email, deleting the account or a passkey, …): the auth service hands out request options
// for this session's passkeys, checks the browser's assertion and answers with a single-use
// step-up token, which the change's form then sends as its second-factor code.
import { redirect } from "next/navigation";
import { describeError, isUnauthenticated, userError } from "../../lib/server/errors";
import { tessera } from "../../lib/server/rpc";
import { asUser, requireSession } from "../../lib/server/session";

export type StepUpStart = { optionsJson: string; error?: undefined } | { optionsJson?: undefined; error: string };
export type StepUpProof = { token: string; error?: undefined } | { token?: undefined; error: string };

export async function beginPasskeyStepUp(): Promise<StepUpStart> {
  const session = await requireSession("/account");
  try {
    return { optionsJson: (await tessera().user.beginPasskeyStepUp({}, asUser(session))).optionsJson };
  } catch (err) {
    if (isUnauthenticated(err)) redirect("/signin?error=SessionEnded");
    return { error: (await userError(err)).error };
  }
}

export async function finishPasskeyStepUp(responseJson: string): Promise<StepUpProof> {
  const session = await requireSession("/account");
  try {
    return { token: (await tessera().user.finishPasskeyStepUp({ responseJson }, asUser(session))).stepUpToken };
  } catch (err) {
    // auth.invalid_passkey is UNAUTHENTICATED too, but the session is alive: say what failed.
    if (isUnauthenticated(err) && describeError(err).key !== "invalidPasskey") redirect("/signin?error=SessionEnded");
    return { error: (await userError(err)).error };
  }
}
