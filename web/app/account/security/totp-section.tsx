"use client";
// The authenticator app: its status, and the steps to turn it on (confirm it's you → scan the
// QR code or type the key → a first code → the recovery codes, shown once) or off. One
// component that stays mounted while the page revalidates, so the codes it just received stay
// on screen when the status above them changes.
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { ActionForm } from "../../../components/action-form";
import { ConfirmAction } from "../../../components/confirm-action";
import { Field, FormOutcome } from "../../../components/form-parts";
import { RecoveryCodes } from "../../../components/recovery-codes";
import { SecondFactorField } from "../../../components/second-factor-field";
import { beginTotpEnrollment, confirmTotpEnrollment, disableTotp } from "./security-actions";

/** "ABCDEFGH…" as "ABCD EFGH …", easier to read and type (authenticator apps ignore spaces). */
export function groupedKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

export function TotpSection(props: { enabled: boolean; enabledSince?: string; hasPassword: boolean; product: string; passkeys: boolean }) {
  const t = useTranslations("security");
  const [enrolment, setEnrolment] = useState<{ secret: string; qr: string }>();
  const [codes, setCodes] = useState<string[]>();
  const [notice, setNotice] = useState<string>();
  const scanHeading = useRef<HTMLHeadingElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (enrolment) scanHeading.current?.focus();
  }, [enrolment]);
  // Turned off: the dialog and its trigger are gone; keep the focus in this section.
  useEffect(() => {
    if (notice && !codes && document.activeElement === document.body) heading.current?.focus();
  }, [notice, codes, props.enabled]);

  const identity = props.hasPassword ? (
    <Field name="password" label={t("password")} type="password" autoComplete="current-password" required />
  ) : (
    <p className="muted">{t("noPasswordHint")}</p>
  );

  let body;
  if (props.enabled) {
    body = (
      <>
        <p>
          <span className="badge ok">{t("on")}</span> {t("onSince", { date: props.enabledSince ?? "" })}
        </p>
        <ConfirmAction
          action={async (state, form) => {
            const res = await disableTotp(state, form);
            if (res?.ok) {
              setCodes(undefined);
              setNotice(res.ok);
            }
            return res;
          }}
          trigger={t("turnOff")}
          title={t("turnOffTitle")}
          confirm={t("turnOffConfirm")}
          pendingLabel={t("turningOff")}
          cancel={t("cancel")}
          danger
        >
          <p>{t("turnOffBody")}</p>
          {identity}
          <SecondFactorField passkeys={props.passkeys} />
        </ConfirmAction>
      </>
    );
  } else if (enrolment) {
    body = (
      <>
        <h3 ref={scanHeading} tabIndex={-1}>
          {t("scanHeading")}
        </h3>
        <p>{t("scanIntro")}</p>
        <img src={enrolment.qr} alt={t("qrAlt")} className="qr" width={200} height={200} />
        <p>
          {t("key")}: <code className="totp-key" data-totp-key>{groupedKey(enrolment.secret)}</code>
        </p>
        <p className="hint">{t("keyHint")}</p>
        <ActionForm
          action={async (state, form) => {
            const res = await confirmTotpEnrollment(state, form);
            if (res?.codes?.length) {
              setEnrolment(undefined);
              setCodes(res.codes);
              setNotice(res.ok);
            }
            return res;
          }}
          submit={t("turnOn")}
          pendingLabel={t("turningOn")}
          label={t("confirmLabel")}
        >
          <Field name="code" label={t("code")} inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={8} required className="code-input" />
        </ActionForm>
      </>
    );
  } else {
    body = (
      <>
        <p>
          <span className="badge warn">{t("off")}</span> {t("offWhat")}
        </p>
        <ActionForm
          action={async (state, form) => {
            const res = await beginTotpEnrollment(state, form);
            if (res?.secret && res.qr) {
              setNotice(undefined);
              setCodes(undefined);
              setEnrolment({ secret: res.secret, qr: res.qr });
            }
            return res;
          }}
          submit={t("setUp")}
          pendingLabel={t("settingUp")}
          label={t("setUpLabel")}
        >
          {identity}
        </ActionForm>
      </>
    );
  }
  return (
    <section aria-labelledby="totp-heading" className="card" id="authenticator">
      <h2 id="totp-heading" ref={heading} tabIndex={-1}>
        {t("totpHeading")}
      </h2>
      <FormOutcome ok={notice} />
      {body}
      {/* Outside the branches: the page revalidates (off → on) around them. */}
      {codes ? <RecoveryCodes codes={codes} product={props.product} /> : null}
    </section>
  );
}
