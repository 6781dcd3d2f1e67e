// The security page's passkeys (section id="passkeys"): each one with its name, when it was added and last used, and
// whether it is synced (kept by a password manager, usable on other devices); rename and
// delete (which asks for the password and a second factor, a passkey included); and adding one.
import { getLocale, getTranslations } from "next-intl/server";
import { deletePasskey, renamePasskey } from "../app/account/security/passkey-actions";
import { webConfig } from "../lib/server/config";
import { tessera } from "../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../lib/server/session";
import { ConfirmAction } from "./confirm-action";
import { Field } from "./form-parts";
import { PasskeyAdd } from "./passkey-add";
import { ListedConfirmAction, PasskeyList } from "./passkey-list";
import { RelativeTime } from "./relative-time";
import { SecondFactorField } from "./second-factor-field";

export interface PasskeysSectionProps {
  /** The account has a password (BeginPasskeyRegistration asks for it then). */
  hasPassword: boolean;
  /** The authenticator app is on: deleting the last passkey then leaves a second factor. */
  totpEnabled: boolean;
}

export async function PasskeysSection({ hasPassword, totpEnabled }: PasskeysSectionProps) {
  const session = await requireSession("/account/security");
  const [{ passkeys }, t, locale] = await Promise.all([orSignIn(tessera().user.listPasskeys({}, asUser(session))), getTranslations("passkeys"), getLocale()]);
  return (
    <section id="passkeys" aria-labelledby="passkeys-heading" className="card">
      <h2 id="passkeys-heading">{t("heading")}</h2>
      <p>{t("intro")}</p>
      <PasskeyList>
        {passkeys.length ? (
          <ul className="plain-list" aria-label={t("listLabel")}>
            {passkeys.map((p) => (
              <li key={p.id} data-passkey-id={p.id}>
                <strong>{p.name}</strong>{" "}
                {p.backedUp ? (
                  <span className="badge ok">
                    {t("synced")}
                    <span className="visually-hidden"> ({t("syncedHint")})</span>
                  </span>
                ) : null}
                <p className="muted">
                  {t("added")} <RelativeTime at={p.createTime} locale={locale} /> ·{" "}
                  {p.lastUsedTime ? (
                    <>
                      {t("lastUsed")} <RelativeTime at={p.lastUsedTime} locale={locale} />
                    </>
                  ) : (
                    t("neverUsed")
                  )}
                </p>
                <div className="row">
                  <ConfirmAction
                    action={renamePasskey}
                    trigger={t("rename")}
                    title={t("renameTitle", { name: p.name })}
                    confirm={t("renameConfirm")}
                    pendingLabel={t("renaming")}
                    cancel={t("cancel")}
                    fields={{ passkeyId: p.id }}
                  >
                    <Field name="name" label={t("newName")} defaultValue={p.name} maxLength={64} required autoComplete="off" />
                  </ConfirmAction>
                  <ListedConfirmAction
                    action={deletePasskey}
                    trigger={t("delete")}
                    title={t("deleteTitle", { name: p.name })}
                    confirm={t("deleteConfirm")}
                    pendingLabel={t("deleting")}
                    cancel={t("cancel")}
                    fields={{ passkeyId: p.id }}
                    danger
                  >
                    <p>{t("deleteBody")}</p>
                    {passkeys.length === 1 && !totpEnabled ? <p>{t("deleteLast")}</p> : null}
                    {hasPassword ? (
                      <Field name="password" label={t("password")} type="password" autoComplete="current-password" required />
                    ) : (
                      <p className="muted">{t("noPasswordHint")}</p>
                    )}
                    <SecondFactorField passkeys />
                  </ListedConfirmAction>
                </div>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("none")}</p>
        )}
      </PasskeyList>
      <h3>{t("addHeading")}</h3>
      <PasskeyAdd hasPassword={hasPassword} product={webConfig().productName} />
    </section>
  );
}
