"use server";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "../../components/action-form";
import { relayHeaders } from "../../lib/server/client-info";
import { errorDetail, userMessage } from "../../lib/server/errors";
import { tessera } from "../../lib/server/rpc";

export async function confirmEmailChange(_: ActionState, form: FormData): Promise<ActionState> {
  const t = await getTranslations("confirmEmail");
  try {
    const { user } = await tessera().auth.confirmEmailChange({ token: String(form.get("token") ?? "") }, { headers: relayHeaders(await headers()) });
    revalidatePath("/account");
    return { ok: t("done", { email: user?.email ?? "" }) };
  } catch (err) {
    unstable_rethrow(err);
    if (errorDetail(err)?.reason === "user.already_exists") return { error: t("taken") };
    return { error: await userMessage(err) };
  }
}
