"use client";
// The second step of sign-in: a code from the authenticator app, or (switching) a recovery
// code; a passkey when the account has one (PasskeySecondStep, first). A wrong code is said under the
// field, which takes the focus; a challenge that is gone sends the page back to /signin.
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Field, FormOutcome, SubmitButton } from "../../../components/form-parts";
import { PasskeySecondStep } from "../../../components/passkey-second-step";
import { completeSecondStep, type SecondStepOutcome, type SecondStepProof } from "./complete";

type CodeMethod = "totp" | "recovery_code";

export function SecondFactorForm({ methods, passkeyOptionsJson, callbackUrl }: { methods: string[]; passkeyOptionsJson: string; callbackUrl: string }) {
  const t = useTranslations("secondStep");
  const te = useTranslations("errors");
  const router = useRouter();
  const form = useRef<HTMLFormElement>(null);
  const [method, setMethod] = useState<CodeMethod>(methods.includes("totp") ? "totp" : "recovery_code");
  // A new object per answer, so a second identical failure moves focus again.
  const [failure, setFailure] = useState<{ error: string; field?: string }>();
  const [pending, setPending] = useState(false);
  const switched = useRef(false);

  useEffect(() => {
    if (!failure && !switched.current) return;
    switched.current = false;
    const input = form.current?.querySelector<HTMLInputElement>('input[name="code"]');
    if (failure && !failure.field) form.current?.querySelector<HTMLElement>("[role=alert]")?.focus();
    else input?.focus();
    if (failure?.field) input?.select();
  }, [failure, method]);

  async function finish(proof: SecondStepProof) {
    setPending(true);
    setFailure(undefined);
    const outcome: SecondStepOutcome = await completeSecondStep(proof, callbackUrl);
    if (outcome.kind === "ok") {
      router.push(callbackUrl);
      router.refresh();
      return;
    }
    if (outcome.kind === "expired") {
      router.push(`/signin?error=SecondFactorExpired&callbackUrl=${encodeURIComponent(callbackUrl)}`);
      return;
    }
    setPending(false);
    setFailure({ error: outcome.error ?? te("generic"), field: outcome.field });
  }

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    void finish({ method, code: String(new FormData(e.currentTarget).get("code") ?? "") });
  }

  function toggle() {
    switched.current = true;
    setFailure(undefined);
    setMethod((m) => (m === "totp" ? "recovery_code" : "totp"));
  }

  const canSwitch = methods.includes("totp") && methods.includes("recovery_code");
  // A passkey is the quickest proof, so it comes first when the account has one; the codes stay
  // below for when it is not at hand.
  const passkey = methods.includes("passkey");
  return (
    <>
      {passkey ? <PasskeySecondStep optionsJson={passkeyOptionsJson} complete={finish} /> : null}
      <p>{method === "totp" ? t("introTotp") : t("introRecovery")}</p>
      <form onSubmit={onSubmit} aria-label={t("formLabel")} ref={form}>
        {method === "totp" ? (
          <Field
            key="totp"
            name="code"
            label={t("totpCode")}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]*"
            maxLength={8}
            required
            autoFocus
            className="code-input"
            error={failure?.field ? failure.error : undefined}
          />
        ) : (
          <Field
            key="recovery"
            name="code"
            label={t("recoveryCode")}
            hint={t("recoveryHint")}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            maxLength={32}
            required
            className="code-input"
            error={failure?.field ? failure.error : undefined}
          />
        )}
        <FormOutcome error={failure && !failure.field ? failure.error : undefined} />
        <SubmitButton pending={pending} label={t("submit")} pendingLabel={t("pending")} />
      </form>
      {canSwitch ? (
        <section aria-label={t("otherWays")} className="row">
          <button type="button" className="button link" onClick={toggle} data-switch-method>
            {method === "totp" ? t("useRecovery") : t("useTotp")}
          </button>
        </section>
      ) : null}
    </>
  );
}
