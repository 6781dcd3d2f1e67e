"use server";
// Removing a provider link from the account page. The auth service refuses the last way in
// (FAILED_PRECONDITION "account.last_sign_in_method") even if the page offered it.
import { unstable_rethrow } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "../../components/action-form";
import { errorDetail, userMessage } from "../../lib/server/errors";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../lib/server/session";

export async function unlinkSignInMethod(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession("/account");
  const t = await getTranslations("signInMethods");
  try {
    await orSignIn(tessera().user.unlinkSignInMethod({ linkedAccountId: String(form.get("linkedAccountId") ?? "") }, asUser(session)));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    if (errorDetail(err)?.reason === "account.last_sign_in_method") {
      return { error: t("lastWayIn") };
    }
    return { error: await userMessage(err) };
  }
  revalidatePath("/account");
  return { ok: t("unlinked") };
}
