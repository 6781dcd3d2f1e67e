"use client";
// "Sign in with a passkey": the browser offers the passkeys it holds for this site (no email
// needed), and next-auth's "passkey" provider finishes the sign-in with the answer. Where the
// browser supports it, passkeys are also offered in the email field's autofill (conditional
// UI: the field's autocomplete ends with "webauthn"), waiting quietly until one is picked.
import { browserSupportsWebAuthnAutofill, startAuthentication, WebAuthnAbortService, type AuthenticationResponseJSON } from "@simplewebauthn/browser";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { FormOutcome } from "../../components/form-parts";
import { decodeCredentialsError } from "../../lib/credentials-error";
import { ceremonyFailure, isAbort, useWebAuthnSupport } from "../../lib/client/webauthn";
import { beginPasskeySignIn, type SignInStart } from "./passkey-actions";

export function PasskeySignIn({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("passkeys");
  const router = useRouter();
  const supported = useWebAuthnSupport();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<{ message: string }>();
  // Bumped to offer passkeys in autofill again after the button's ceremony replaced that offer.
  const [round, setRound] = useState(0);
  const errorRef = useRef<HTMLDivElement>(null);
  // The autofill offer's options while no answer has used them: the button takes them over
  // (same options, challenge still unspent) instead of asking the auth service again, which
  // counts every request against the per-address limit on passkey sign-in starts.
  const unspent = useRef<{ optionsJson: string; at: number }>(undefined);

  useEffect(() => {
    if (failure) errorRef.current?.querySelector<HTMLElement>("[role=alert]")?.focus();
  }, [failure]);

  async function finish(response: AuthenticationResponseJSON): Promise<boolean> {
    const res = await signIn("passkey", { redirect: false, responseJson: JSON.stringify(response), callbackUrl });
    if (!res || res.error) {
      setFailure({ message: res?.error && res.error !== "CredentialsSignin" ? decodeCredentialsError(res.error).error : t("signIn.failed") });
      return false;
    }
    router.push(callbackUrl);
    router.refresh();
    return true;
  }

  // Conditional UI: a pending request that the browser answers when a passkey is picked from
  // the email field's suggestions. Its challenge expires unused if none is.
  useEffect(() => {
    if (!supported) return;
    let live = true;
    void (async () => {
      if (!(await browserSupportsWebAuthnAutofill())) return;
      const start = await beginPasskeySignIn();
      if (!live || start.error !== undefined) return;
      unspent.current = { optionsJson: start.optionsJson, at: Date.now() };
      let response;
      try {
        response = await startAuthentication({ optionsJSON: JSON.parse(start.optionsJson), useBrowserAutofill: true });
        unspent.current = undefined;
      } catch (err) {
        // Replaced by the button's ceremony, or the page is going: nothing to say.
        if (live && !isAbort(err)) console.warn("passkey autofill ended", err);
        return;
      }
      if (live && !(await finish(response))) setRound((r) => r + 1);
    })();
    return () => {
      live = false;
      WebAuthnAbortService.cancelCeremony();
    };
    // `finish` reads only props and setters: a new one each render need not restart the offer.
  }, [supported, round]);

  if (supported === undefined) return null;
  if (!supported) return <p className="muted">{t("signIn.unsupported")}</p>;

  async function onClick() {
    if (pending) return;
    setPending(true);
    setFailure(undefined);
    let signedIn = false;
    try {
      // The challenge lives 5 minutes; options older than 4 are not worth the risk.
      const offered = unspent.current && Date.now() - unspent.current.at < 240_000 ? unspent.current : undefined;
      unspent.current = undefined;
      const start: SignInStart = offered ? { optionsJson: offered.optionsJson } : await beginPasskeySignIn();
      if (start.error !== undefined) return setFailure({ message: start.error });
      let response;
      try {
        response = await startAuthentication({ optionsJSON: JSON.parse(start.optionsJson) });
      } catch (err) {
        return setFailure({ message: t(ceremonyFailure(err) === "cancelled" ? "cancelled" : "ceremonyFailed") });
      }
      signedIn = await finish(response);
    } finally {
      setPending(false);
      if (!signedIn) setRound((r) => r + 1);
    }
  }

  return (
    <div className="passkey-sign-in">
      <div ref={errorRef}>
        <FormOutcome error={failure?.message} />
      </div>
      <div className="actions">
        <button type="button" className="button secondary" onClick={() => void onClick()} aria-disabled={pending || undefined}>
          {pending ? t("signIn.waiting") : t("signIn.button")}
        </button>
      </div>
    </div>
  );
}
