import type { Metadata } from "next";
import { ActionForm } from "../../components/action-form";
import { NewPasswordFields } from "../../components/form-parts";
import { webConfig } from "../../lib/server/config";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../lib/server/session";
import { profileValues } from "../../lib/server/profile-values";
import { changePassword, resendVerification, signOutEverywhere } from "../actions";
import { uploadAvatar } from "./profile-actions";
import { ProfileForm } from "./profile-form";
import { SessionsList } from "./sessions-list";
import { SignInMethods } from "./sign-in-methods";
import { SignOutButtons } from "./sign-out-buttons";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const session = await requireSession("/account");
  const { user } = await orSignIn(tessera().user.getMe({}, asUser(session)));
  const me = user!;
  return (
    <>
      <h1>Your account</h1>
      <section aria-labelledby="identity-heading" className="row">
        {me.image ? <img src={me.image} alt="Your profile picture" className="avatar" width={64} height={64} /> : null}
        <div>
          <h2 id="identity-heading">{me.name || me.email}</h2>
          <p>
            {me.email}{" "}
            {me.emailVerifiedTime ? <span className="badge ok">verified</span> : <span className="badge warn">not verified</span>}
          </p>
        </div>
      </section>
      {me.emailVerifiedTime ? null : (
        <section aria-label="Verify your email" className="alert info">
          <p>Your email is not verified yet. Open the link we mailed you, or ask for a new one.</p>
          <ActionForm action={resendVerification} submit="Send the verification link again" label="Send the verification link again" />
        </section>
      )}

      <section aria-labelledby="profile-heading">
        <h2 id="profile-heading">Profile</h2>
        <ProfileForm stored={profileValues(me)} />
      </section>

      <section aria-labelledby="avatar-heading">
        <h2 id="avatar-heading">Profile picture</h2>
        <ActionForm action={uploadAvatar} submit="Upload picture" pendingLabel="Uploading…" label="Profile picture">
          <label>
            Image (PNG, JPEG or WebP, up to 2 MB)
            <input name="avatar" type="file" accept="image/png,image/jpeg,image/webp" required />
          </label>
        </ActionForm>
      </section>

      <section aria-labelledby="password-heading">
        <h2 id="password-heading">Password</h2>
        <ActionForm action={changePassword} submit="Change password" pendingLabel="Changing…" label="Change password">
          <label>
            Current password
            <input name="currentPassword" type="password" autoComplete="current-password" required />
          </label>
          <NewPasswordFields name="newPassword" />
        </ActionForm>
      </section>

      <SignInMethods session={session} />

      <SessionsList authUrl={webConfig().publicAuthUrl} />
      <SignOutButtons signOutEverywhere={signOutEverywhere} />
    </>
  );
}
