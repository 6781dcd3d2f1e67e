// The account's ways in: the password (set or not) and each linked provider, with an Unlink
// button for every link but the last way in (the auth service refuses that one as well).
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ActionForm } from "../../components/action-form";
import { webConfig } from "../../lib/server/config";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn } from "../../lib/server/session";
import { unlinkSignInMethod } from "./sign-in-methods-actions";

function providerName(id: string): string {
  if (id === "google") return "Google";
  if (id === "oidc") return webConfig().oidc?.name ?? "OpenID provider";
  return id;
}

export async function SignInMethods({ session }: { session: { accessToken: string } }) {
  const methods = await orSignIn(tessera().user.listSignInMethods({}, asUser(session)));
  return (
    <section aria-labelledby="sign-in-methods-heading">
      <h2 id="sign-in-methods-heading">Sign-in methods</h2>
      <ul>
        <li data-sign-in-method="password">Password: {methods.hasPassword ? "set" : "not set (use “Forgot your password?” to set one)"}</li>
        {methods.linkedAccounts.map((l) => (
          <li key={l.id} data-sign-in-method={l.provider} data-linked-account-id={l.id}>
            {providerName(l.provider)}
            {l.createTime ? <span className="muted"> (linked {timestampDate(l.createTime).toISOString().slice(0, 10)})</span> : null}
            {l.removable ? (
              <ActionForm action={unlinkSignInMethod} submit={`Unlink ${providerName(l.provider)}`} pendingLabel="Unlinking…" label={`Unlink ${providerName(l.provider)}`}>
                <input type="hidden" name="linkedAccountId" value={l.id} />
              </ActionForm>
            ) : (
              <span className="muted"> — your only way to sign in; set a password before unlinking it.</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
