// The account's ways in: the password (set or not) and each linked provider, with an Unlink
// button for every link but the last way in (the auth service refuses that one as well).
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { getLocale, getTranslations } from "next-intl/server";
import type { ListSignInMethodsResponse } from "../../../gen/tessera/user/v1/user_service_pb.js";
import { ConfirmAction } from "../../components/confirm-action";
import { exactTime } from "../../lib/relative-time";
import { webConfig } from "../../lib/server/config";
import { unlinkSignInMethod } from "./sign-in-methods-actions";

function providerName(id: string, fallback: string): string {
  if (id === "google") return "Google";
  if (id === "oidc") return webConfig().oidc?.name ?? fallback;
  return id;
}

export async function SignInMethods({ methods }: { methods: ListSignInMethodsResponse }) {
  const t = await getTranslations("signInMethods");
  const locale = await getLocale();
  return (
    <section aria-labelledby="sign-in-methods-heading" className="card">
      <h2 id="sign-in-methods-heading">{t("heading")}</h2>
      <ul className="plain-list">
        <li data-sign-in-method="password">{methods.hasPassword ? t("passwordSet") : t("passwordNotSet")}</li>
        {methods.linkedAccounts.map((l) => {
          const name = providerName(l.provider, t("oidcDefault"));
          return (
            <li key={l.id} data-sign-in-method={l.provider} data-linked-account-id={l.id}>
              <strong>{name}</strong>
              {l.createTime ? <span className="muted"> · {t("linked", { date: exactTime(timestampDate(l.createTime), locale) })}</span> : null}
              {l.removable ? (
                <ConfirmAction
                  action={unlinkSignInMethod}
                  trigger={t("unlink", { provider: name })}
                  title={t("unlinkTitle", { provider: name })}
                  confirm={t("unlink", { provider: name })}
                  pendingLabel={t("pending")}
                  cancel={t("cancel")}
                  fields={{ linkedAccountId: l.id }}
                  danger
                >
                  <p>{t("unlinkBody", { provider: name })}</p>
                </ConfirmAction>
              ) : (
                <p className="muted">{t("onlyWay")}</p>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
