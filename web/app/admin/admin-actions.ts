"use server";
// What an admin does to another account from the console. The auth service checks the role
// again on every call and records each action with the admin as actor.
import { unstable_rethrow } from "next/navigation";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import type { ActionState } from "../../components/action-form";
import { Role } from "../../../gen/tessera/user/v1/user_pb.js";
import { errorDetail, userMessage } from "../../lib/server/errors";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../lib/server/session";

function target(form: FormData): string {
  return String(form.get("userId") ?? "");
}

export async function revokeUserSessions(_: ActionState, form: FormData): Promise<ActionState> {
  const userId = target(form);
  const session = await requireSession(`/admin/users/${encodeURIComponent(userId)}`);
  const t = await getTranslations("admin");
  try {
    const { revokedCount } = await orSignIn(tessera().user.revokeAllSessions({ userId }, asUser(session)));
    revalidatePath(`/admin/users/${userId}`);
    return { ok: t("sessionsRevoked", { count: revokedCount }) };
  } catch (err) {
    unstable_rethrow(err);
    return { error: await userMessage(err) };
  }
}

export async function setAdminRole(_: ActionState, form: FormData): Promise<ActionState> {
  const userId = target(form);
  const grant = form.get("grant") === "true";
  const session = await requireSession(`/admin/users/${encodeURIComponent(userId)}`);
  const t = await getTranslations("admin");
  try {
    await orSignIn(tessera().user.setUserRole({ userId, role: grant ? Role.ADMIN : Role.USER }, asUser(session)));
    revalidatePath(`/admin/users/${userId}`);
    revalidatePath("/admin");
    return { ok: grant ? t("roleGranted") : t("roleRemoved") };
  } catch (err) {
    unstable_rethrow(err);
    if (errorDetail(err)?.reason === "user.last_admin") return { error: t("lastAdmin") };
    return { error: await userMessage(err) };
  }
}
