import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Role } from "../../../gen/tessera/user/v1/user_pb.js";
import { ActionForm } from "../../components/action-form";
import { NewPasswordFields } from "../../components/form-parts";
import { webConfig } from "../../lib/server/config";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../lib/server/session";
import { profileValues } from "../../lib/server/profile-values";
import { changePassword, resendVerification, signOutEverywhere } from "../actions";
import { DeleteAccount } from "./delete-account";
import { EmailChange } from "./email-change";
import { uploadAvatar } from "./profile-actions";
import { ProfileForm } from "./profile-form";
import { SessionsList } from "./sessions-list";
import { SignInMethods } from "./sign-in-methods";
import { SignOutButtons } from "./sign-out-buttons";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("account"))("title") };
}

export default async function AccountPage() {
  const session = await requireSession("/account");
  const t = await getTranslations("account");
  const [{ user }, methods] = await Promise.all([
    orSignIn(tessera().user.getMe({}, asUser(session))),
    orSignIn(tessera().user.listSignInMethods({}, asUser(session))),
  ]);
  const me = user!;
  return (
    <>
      <h1>{t("title")}</h1>
      <section aria-labelledby="identity-heading" className="row identity">
        {me.image ? <img src={me.image} alt={t("avatarAlt")} className="avatar" width={64} height={64} /> : null}
        <div>
          <h2 id="identity-heading">{me.name || me.email}</h2>
          <p>
            {me.email}{" "}
            {me.emailVerifiedTime ? <span className="badge ok">{t("verified")}</span> : <span className="badge warn">{t("notVerified")}</span>}
          </p>
          {me.role === Role.ADMIN ? (
            <p>
              <Link href="/admin">{t("adminConsole")}</Link>
            </p>
          ) : null}
        </div>
      </section>
      {me.emailVerifiedTime ? null : (
        <section aria-label={t("verifyLabel")} className="alert info">
          <p>{t("verifyBody")}</p>
          <ActionForm action={resendVerification} submit={t("verifyResend")} label={t("verifyResend")} />
        </section>
      )}

      <section aria-labelledby="profile-heading" className="card">
        <h2 id="profile-heading">{t("profileHeading")}</h2>
        <ProfileForm stored={profileValues(me)} />
      </section>

      <section aria-labelledby="avatar-heading" className="card">
        <h2 id="avatar-heading">{t("avatarHeading")}</h2>
        <ActionForm action={uploadAvatar} submit={t("avatarSubmit")} pendingLabel={t("avatarPending")} label={t("avatarHeading")}>
          <label>
            {t("avatarInput")}
            <input name="avatar" type="file" accept="image/png,image/jpeg,image/webp" required />
          </label>
        </ActionForm>
      </section>

      <EmailChange email={me.email} hasPassword={methods.hasPassword} />

      {methods.hasPassword ? (
        <section aria-labelledby="password-heading" className="card">
          <h2 id="password-heading">{t("passwordHeading")}</h2>
          <ActionForm action={changePassword} submit={t("passwordSubmit")} pendingLabel={t("passwordPending")} label={t("passwordSubmit")}>
            <label>
              {t("currentPassword")}
              <input name="currentPassword" type="password" autoComplete="current-password" required />
            </label>
            <NewPasswordFields name="newPassword" />
          </ActionForm>
        </section>
      ) : null}

      <SignInMethods methods={methods} />

      <SessionsList authUrl={webConfig().publicAuthUrl} />
      <SignOutButtons signOutEverywhere={signOutEverywhere} />

      <DeleteAccount hasPassword={methods.hasPassword} />
    </>
  );
}
