// The account's ways in: the password (set or not) and each linked provider, with an Unlink
// button for every link but the last way in (the auth service refuses that one as well).
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { getTranslations } from "next-intl/server";
import { ActionForm } from "../../components/action-form";
import { webConfig } from "../../lib/server/config";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn } from "../../lib/server/session";
import { unlinkSignInMethod } from "./sign-in-methods-actions";

export async function SignInMethods({ session }: { session: { accessToken: string } }) {
  const methods = await orSignIn(tessera().user.listSignInMethods({}, asUser(session)));
  const t = await getTranslations("signInMethods");
  const providerName = (id: string) => (id === "google" ? "Google" : id === "oidc" ? (webConfig().oidc?.name ?? t("oidcDefault")) : id);
  return (
    <section aria-labelledby="sign-in-methods-heading" className="card">
      <h2 id="sign-in-methods-heading">{t("heading")}</h2>
      <ul className="plain-list">
        <li data-sign-in-method="password">{methods.hasPassword ? t("passwordSet") : t("passwordNotSet")}</li>
        {methods.linkedAccounts.map((l) => (
          <li key={l.id} data-sign-in-method={l.provider} data-linked-account-id={l.id}>
            {providerName(l.provider)}
            {l.createTime ? <span className="muted"> {t("linked", { date: timestampDate(l.createTime) })}</span> : null}
            {l.removable ? (
              <ActionForm action={unlinkSignInMethod} submit={t("unlink", { provider: providerName(l.provider) })} pendingLabel={t("pending")} label={t("unlink", { provider: providerName(l.provider) })}>
                <input type="hidden" name="linkedAccountId" value={l.id} />
              </ActionForm>
            ) : (
              <span className="muted"> {t("onlyWay")}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
