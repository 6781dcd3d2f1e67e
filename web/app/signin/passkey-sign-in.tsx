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
import { beginPasskeySignIn } from "./passkey-actions";

export function PasskeySignIn({ callbackUrl }: { callbackUrl: string }) {
  const t = useTranslations("passkeys");
  const router = useRouter();
  const supported = useWebAuthnSupport();
  const [pending, setPending] = useState(false);
  const [failure, setFailure] = useState<{ message: string }>();
  // Bumped to offer passkeys in autofill again after the button's ceremony replaced that offer.
  const [round, setRound] = useState(0);
  const errorRef = useRef<HTMLDivElement>(null);

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
      let response;
      try {
        response = await startAuthentication({ optionsJSON: JSON.parse(start.optionsJson), useBrowserAutofill: true });
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
      const start = await beginPasskeySignIn();
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
