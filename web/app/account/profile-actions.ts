"use server";
// Saving the profile and the picture. Each save answers with the account as stored and
// revalidates the page, so what the person sees afterwards is what the auth service holds.
import { unstable_rethrow } from "next/navigation";
import { revalidatePath } from "next/cache";
import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import type { ActionState } from "../../components/action-form";
import { getTranslations } from "next-intl/server";
import { userError } from "../../lib/server/errors";
import { profileValues } from "../../lib/server/profile-values";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../lib/server/session";
import { PROFILE_FIELDS } from "../../lib/profile-fields";
import { parseShown, PROFILE_INPUTS, SHOWN_FIELD, type ProfileInput, type ProfileValues } from "../../lib/profile-values";

/** The profile form's state: the outcome, the account as saved, or on failure what was typed (kept, not lost). */
export type ProfileState = (NonNullable<ActionState> & { saved?: ProfileValues; typed?: Record<ProfileInput, string> }) | undefined;

/**
 * Writes only the fields that differ from the stored values the form showed: a field the person
 * did not touch is never written back, even if another tab changed it since. A form that does
 * not say what it showed has every field written.
 */
export async function updateProfile(_: ProfileState, form: FormData): Promise<ProfileState> {
  const session = await requireSession("/account");
  const typed = Object.fromEntries(PROFILE_INPUTS.map(({ name }) => [name, String(form.get(name) ?? "").trim()])) as Record<ProfileInput, string>;
  const shown = parseShown(String(form.get(SHOWN_FIELD) ?? ""));
  const changed = PROFILE_INPUTS.filter(({ name }) => typed[name] !== shown?.[name]);
  revalidatePath("/account");
  const t = await getTranslations("profile");
  if (changed.length === 0) return { ok: t("unchanged") };
  const { name, ...texts } = typed;
  // Number fields: "" is "not set" (0 in the contract); anything else must be a whole number.
  const profile: Record<string, string | number> = { ...texts };
  for (const f of PROFILE_FIELDS) {
    if (f.input.type !== "number") continue;
    const n = texts[f.key] === "" ? 0 : Number(texts[f.key]);
    if (!Number.isSafeInteger(n)) return { error: t("wholeNumber", { field: t(f.key) }), field: f.key, typed };
    profile[f.key] = n;
  }
  try {
    const { user } = await orSignIn(
      tessera().user.updateProfile(
        { name, profile, updateMask: create(FieldMaskSchema, { paths: changed.map((f) => f.path) }) },
        asUser(session),
      ),
    );
    return { ok: t("saved"), saved: profileValues(user!) };
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    return { ...(await userError(err)), typed };
  }
}

export async function uploadAvatar(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession("/account");
  const file = form.get("avatar");
  const t = await getTranslations("avatar");
  if (!(file instanceof File) || file.size === 0) return { error: t("chooseFile"), field: "avatar" };
  try {
    await orSignIn(tessera().user.uploadAvatar({ image: new Uint8Array(await file.arrayBuffer()) }, asUser(session)));
  } catch (err) {
    unstable_rethrow(err); // redirect() to sign-in when the session has ended
    const e = await userError(err);
    return e.field === "image" ? { ...e, field: "avatar" } : e;
  }
  revalidatePath("/account");
  return { ok: t("updated") };
}
