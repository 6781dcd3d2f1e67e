"use server";
// The security page's tasks: setting up the authenticator app (password → secret and QR code →
// a first code → recovery codes), turning it off, and replacing the recovery codes. Each one
// proves the person (password or a recent sign-in; a code once a factor is on), so a wrong
// password or code is the form's error, not an ended session.
import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import QRCode from "qrcode";
import type { ActionState } from "../../../components/action-form";
import { errorDetail } from "../../../lib/server/errors";
import { tessera } from "../../../lib/server/rpc";
import { asUser, requireSession } from "../../../lib/server/session";
import { secondFactorCode, stepUpRefusal } from "../../../lib/server/step-up";

const PAGE = "/account/security";

/** The new secret, as the page shows it: a QR code (an SVG data URL) and the key to type in. */
export type EnrolmentState = (NonNullable<ActionState> & { secret?: string; qr?: string }) | undefined;
/** Recovery codes to show, this once. */
export type CodesState = (NonNullable<ActionState> & { codes?: string[] }) | undefined;

async function refusal(err: unknown): Promise<ActionState> {
  const t = await getTranslations("security");
  return stepUpRefusal(err, { wrongPassword: t("wrongPassword"), recentSignIn: t("recentSignIn") });
}

export async function beginTotpEnrollment(_: EnrolmentState, form: FormData): Promise<EnrolmentState> {
  const session = await requireSession(PAGE);
  try {
    const res = await tessera().user.beginTotpEnrollment({ password: String(form.get("password") ?? "") }, asUser(session));
    // Drawn here, not in the browser: the secret goes to no third party and no extra script.
    const svg = await QRCode.toString(res.otpauthUri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
    return { secret: res.secret, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
  } catch (err) {
    unstable_rethrow(err);
    return refusal(err);
  }
}

export async function confirmTotpEnrollment(_: CodesState, form: FormData): Promise<CodesState> {
  const session = await requireSession(PAGE);
  const t = await getTranslations("security");
  try {
    const res = await tessera().user.confirmTotpEnrollment({ code: String(form.get("code") ?? "").trim() }, asUser(session));
    revalidatePath(PAGE);
    return { ok: t("turnedOn"), codes: res.recoveryCodes };
  } catch (err) {
    unstable_rethrow(err);
    const reason = errorDetail(err)?.reason;
    if (reason === "auth.invalid_second_factor" || reason === "request.invalid_argument") return { error: t("wrongCode"), field: "code" };
    return refusal(err);
  }
}

export async function disableTotp(_: ActionState, form: FormData): Promise<ActionState> {
  const session = await requireSession(PAGE);
  const t = await getTranslations("security");
  try {
    await tessera().user.disableTotp({ password: String(form.get("password") ?? ""), secondFactorCode: secondFactorCode(form) }, asUser(session));
  } catch (err) {
    unstable_rethrow(err);
    return refusal(err);
  }
  revalidatePath(PAGE);
  return { ok: t("turnedOff") };
}

export async function regenerateRecoveryCodes(_: CodesState, form: FormData): Promise<CodesState> {
  const session = await requireSession(PAGE);
  const t = await getTranslations("security");
  try {
    const res = await tessera().user.regenerateRecoveryCodes(
      { password: String(form.get("password") ?? ""), secondFactorCode: secondFactorCode(form) },
      asUser(session),
    );
    revalidatePath(PAGE);
    return { ok: t("regenerated"), codes: res.recoveryCodes };
  } catch (err) {
    unstable_rethrow(err);
    return refusal(err);
  }
}
