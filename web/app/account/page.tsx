import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { Role } from "../../../gen/tessera/user/v1/user_pb.js";
import { ActionForm } from "../../components/action-form";
import { Field, NewPasswordFields } from "../../components/form-parts";
import { SecondFactorField } from "../../components/second-factor-field";
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
  const [{ user }, methods, factors] = await Promise.all([
    orSignIn(tessera().user.getMe({}, asUser(session))),
    orSignIn(tessera().user.listSignInMethods({}, asUser(session))),
    orSignIn(tessera().user.getSecondFactors({}, asUser(session))),
  ]);
  const me = user!;
  // Sensitive changes then ask for a code too (step-up).
  const stepUp = factors.totpEnabled || factors.passkeyCount > 0;
  // …which a passkey can give instead of a code.
  const passkeys = factors.passkeyCount > 0;
  const [t, ta, tp, tprofile] = await Promise.all([
    getTranslations("account"),
    getTranslations("avatar"),
    getTranslations("changePassword"),
    getTranslations("profile"),
  ]);
  return (
    <>
      <h1>{t("heading")}</h1>
      <section aria-labelledby="identity-heading" className="identity">
        {me.image ? <img src={me.image} alt={t("picture")} className="avatar" width={64} height={64} /> : null}
        <div>
          <h2 id="identity-heading">{me.name || me.email}</h2>
          <p>
            {me.email}{" "}
            {me.emailVerifiedTime ? <span className="badge ok">{t("verified")}</span> : <span className="badge warn">{t("notVerified")}</span>}
          </p>
          <p>
            <Link href="/account/security">{t("security")}</Link>
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
          <p>{t("verifyPrompt")}</p>
          <ActionForm action={resendVerification} submit={t("resend")} label={t("resend")} />
        </section>
      )}

      <section aria-labelledby="profile-heading" className="card">
        <h2 id="profile-heading">{tprofile("heading")}</h2>
        <ProfileForm stored={profileValues(me)} />
      </section>

      <section aria-labelledby="avatar-heading" className="card">
        <h2 id="avatar-heading">{ta("heading")}</h2>
        <ActionForm action={uploadAvatar} submit={ta("submit")} pendingLabel={ta("pending")} label={ta("formLabel")}>
          <Field name="avatar" label={ta("file")} type="file" accept="image/png,image/jpeg,image/webp" required />
        </ActionForm>
      </section>

      <EmailChange email={me.email} hasPassword={methods.hasPassword} stepUp={stepUp} passkeys={passkeys} />

      {methods.hasPassword ? (
        <section aria-labelledby="password-heading" className="card">
          <h2 id="password-heading">{tp("heading")}</h2>
          <ActionForm action={changePassword} submit={tp("submit")} pendingLabel={tp("pending")} label={tp("formLabel")}>
            <Field name="currentPassword" label={tp("current")} type="password" autoComplete="current-password" required />
            <NewPasswordFields name="newPassword" />
            {stepUp ? <SecondFactorField passkeys={passkeys} /> : null}
          </ActionForm>
        </section>
      ) : null}

      <SignInMethods methods={methods} />

      <SessionsList authUrl={webConfig().publicAuthUrl} />
      <SignOutButtons signOutEverywhere={signOutEverywhere} />

      <DeleteAccount hasPassword={methods.hasPassword} stepUp={stepUp} passkeys={passkeys} />
    </>
  );
}
