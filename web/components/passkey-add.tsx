"use client";
// Adding a passkey, in two steps: confirm who you are (the password, when the account has one)
// and let the browser create the passkey (startRegistration); then name it, which stores it
// (FinishPasskeyRegistration). The first second factor of an account comes with recovery
// codes, shown here this once.
import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { beginPasskeyRegistration, finishPasskeyRegistration } from "../app/account/security/passkey-actions";
import { ceremonyFailure, useWebAuthnSupport } from "../lib/client/webauthn";
import { useFocusOnError } from "./action-form";
import { Field, FormErrorContext, FormOutcome, SubmitButton } from "./form-parts";
import { RecoveryCodes } from "./recovery-codes";

type Outcome = { error?: string; field?: string; ok?: string } | undefined;

export function PasskeyAdd({ hasPassword, product }: { hasPassword: boolean; product: string }) {
  const t = useTranslations("passkeys");
  const supported = useWebAuthnSupport();
  // The browser's answer, waiting for a name (the challenge it answers lives 5 minutes), and
  // which passkey it is, to tell the browser if it is never stored.
  const [created, setCreated] = useState<string>();
  const createdId = useRef<{ rpId: string; credentialId: string }>(undefined);
  const [outcome, setOutcome] = useState<Outcome>();
  const [codes, setCodes] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const startForm = useRef<HTMLFormElement>(null);
  const nameForm = useRef<HTMLFormElement>(null);
  useFocusOnError(created ? nameForm : startForm, outcome);
  // The name is asked right after the browser's own dialog: focus goes there.
  useEffect(() => {
    if (created) nameForm.current?.querySelector<HTMLInputElement>("input[name=name]")?.focus();
  }, [created]);

  if (supported === undefined) return null;
  if (!supported) return <p className="alert info">{t("unsupported")}</p>;

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending) return;
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    setPending(true);
    setOutcome(undefined);
    setCodes([]);
    try {
      const start = await beginPasskeyRegistration(password);
      if (start.error !== undefined) return setOutcome(start);
      try {
        const optionsJSON = JSON.parse(start.optionsJson) as PublicKeyCredentialCreationOptionsJSON;
        const response = await startRegistration({ optionsJSON });
        createdId.current = { rpId: optionsJSON.rp.id ?? location.hostname, credentialId: response.id };
        startForm.current?.reset();
        setCreated(JSON.stringify(response));
      } catch (err) {
        setOutcome({ error: t(ceremonyFailure(err)) });
      }
    } finally {
      setPending(false);
    }
  }

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (pending || !created) return;
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    setPending(true);
    setOutcome(undefined);
    try {
      const res = await finishPasskeyRegistration(created, name);
      if (res.error !== undefined) {
        // Only a bad name can be corrected; anything else needs a new ceremony.
        if (res.field !== "name") {
          forgetUnsaved();
          setCreated(undefined);
        }
        return setOutcome(res);
      }
      createdId.current = undefined;
      setCreated(undefined);
      setCodes(res.recoveryCodes);
      setOutcome({ ok: res.ok });
    } finally {
      setPending(false);
    }
  }

  // The browser (or password manager) keeps the passkey it created even when Tessera never
  // stores it, and would offer it at sign-in for nothing: where the browser has the WebAuthn
  // Signal API (Chrome 132+), tell it the passkey is unknown here, so it can remove it.
  function forgetUnsaved() {
    const unsaved = createdId.current;
    createdId.current = undefined;
    const signal = (PublicKeyCredential as unknown as { signalUnknownCredential?: (o: { rpId: string; credentialId: string }) => Promise<void> }).signalUnknownCredential;
    if (unsaved && signal) signal.call(PublicKeyCredential, unsaved).catch(() => undefined);
  }

  // Back to the first step, with focus on it (the button that had it is gone).
  function discard() {
    forgetUnsaved();
    setCreated(undefined);
    setOutcome(undefined);
    setTimeout(() => startForm.current?.querySelector<HTMLElement>("input, button")?.focus());
  }

  const fieldError = outcome?.field ? { field: outcome.field, error: outcome.error } : undefined;
  if (created) {
    return (
      <form ref={nameForm} onSubmit={(e) => void save(e)} aria-label={t("nameFormLabel")}>
        <p>{t("nameIntro")}</p>
        <FormErrorContext value={fieldError}>
          <Field name="name" label={t("name")} hint={t("nameHint")} maxLength={64} autoComplete="off" />
        </FormErrorContext>
        <FormOutcome error={fieldError ? undefined : outcome?.error} />
        <div className="row">
          <SubmitButton pending={pending} label={t("save")} pendingLabel={t("saving")} />
          <div className="actions">
            <button type="button" className="button secondary" onClick={discard}>
              {t("discard")}
            </button>
          </div>
        </div>
      </form>
    );
  }
  return (
    <>
      <form ref={startForm} onSubmit={(e) => void create(e)} aria-label={t("addFormLabel")}>
        <FormErrorContext value={fieldError}>
          {hasPassword ? (
            <Field name="password" label={t("password")} type="password" autoComplete="current-password" required />
          ) : (
            <p className="muted">{t("noPasswordHint")}</p>
          )}
        </FormErrorContext>
        <FormOutcome error={fieldError ? undefined : outcome?.error} ok={outcome?.ok} />
        <SubmitButton pending={pending} label={t("add")} pendingLabel={t("waiting")} />
      </form>
      {codes.length ? <RecoveryCodes codes={codes} product={product} /> : null}
    </>
  );
}
