"use client";
// "Use a passkey" for a form that asks for a second factor before a sensitive change: instead
// of typing a code, the person touches a passkey; the auth service checks it and hands out a
// single-use step-up token, which goes into the form as its code (a hidden input with the
// code's name) and submits it. The field around it hides its own code input meanwhile.
// A token works once, so it is dropped as soon as the form is sent: a refused submit (a wrong
// password, say) asks for the passkey again.
import { startAuthentication } from "@simplewebauthn/browser";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { beginPasskeyStepUp, finishPasskeyStepUp } from "../app/account/passkey-step-up-actions";
import { ceremonyFailure, useWebAuthnSupport } from "../lib/client/webauthn";

export function PasskeyStepUp({ name = "secondFactorCode", onProven }: { name?: string; onProven: (proven: boolean) => void }) {
  const t = useTranslations("passkeys");
  const supported = useWebAuthnSupport();
  const button = useRef<HTMLButtonElement>(null);
  const [token, setToken] = useState<string>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();
  const [form, setForm] = useState<HTMLFormElement | null>(null);

  useEffect(() => setForm(button.current?.form ?? null), [supported]);

  // Sent once: forget it after the form has read it (React reads the form data during the
  // submit event; the timeout runs after that event).
  useEffect(() => {
    if (!form || !token) return;
    const spent = () => setTimeout(() => {
      setToken(undefined);
      onProven(false);
    });
    form.addEventListener("submit", spent);
    form.requestSubmit();
    return () => form.removeEventListener("submit", spent);
  }, [form, token, onProven]);

  if (supported === false || supported === undefined) return null;

  async function prove() {
    if (pending || !form) return;
    // The other inputs first (the password): the browser says what is missing, and no passkey
    // touch is wasted on a form that cannot be sent.
    const missing = [...form.elements].find((el): el is HTMLInputElement => el instanceof HTMLInputElement && el.name !== name && !el.checkValidity());
    if (missing) {
      missing.reportValidity();
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      const start = await beginPasskeyStepUp();
      if (start.error !== undefined) return setError(start.error);
      let response;
      try {
        response = await startAuthentication({ optionsJSON: JSON.parse(start.optionsJson) });
      } catch (err) {
        return setError(t(ceremonyFailure(err) === "cancelled" ? "cancelled" : "ceremonyFailed"));
      }
      const proof = await finishPasskeyStepUp(JSON.stringify(response));
      if (proof.error !== undefined) return setError(proof.error);
      onProven(true);
      setToken(proof.token);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="passkey-step-up">
      {token ? (
        <>
          <input type="hidden" name={name} value={token} />
          <p role="status" className="hint">
            {t("stepUp.done")}
          </p>
        </>
      ) : (
        <button ref={button} type="button" className="button secondary" onClick={() => void prove()} aria-disabled={pending || undefined}>
          {pending ? t("stepUp.waiting") : t("stepUp.use")}
        </button>
      )}
      {error ? (
        <p role="alert" className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
