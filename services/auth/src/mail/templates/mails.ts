/**
 * Every mail the auth service sends, in the recipient's language. Each function takes the
 * site (TESSERA_WEB_URL, PRODUCT_NAME), the recipient (address and User.locale) and the
 * facts the mail states, and returns a MailMessage with a text and an HTML part for
 * Mailer.enqueue.
 *
 * Adding a mail kind:
 *  1. add its strings to catalog-en.ts and catalog-fr.ts (a `<kind>.subject`, its paragraphs,
 *     a button label if it has a link; reuse a `footer.*` or add one saying why the recipient
 *     gets it); catalog.test.ts fails until both catalogs agree;
 *  2. write a function here that calls linkMail (a mail carrying a one-time token) or
 *     noticeMail (a notice, optionally with a button to a plain web-app page);
 *  3. queue it with mailer.enqueue(tx, …) in the transaction of the action it tells about, and
 *     add it to the table in mails.test.ts so it is rendered in every language.
 */
import type { ClientInfo } from "../../kernel/client-info.js";
import type { Locale } from "../../kernel/locale.js";
import type { MailMessage } from "../outbox.js";
import { translate, type MessageKey, type Vars } from "./catalog.js";
import { renderMail, webLink, webPage, type MailBlock, type MailSite, type Recipient } from "./layout.js";

export type { MailSite, Recipient };

/** A one-time token as issued (onetime/one-time-tokens.ts): the mail is useless, and never sent, after expiresAt. */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Where and when something happened to the account, as a security notice states it. */
export interface SecurityEvent {
  /** The client that did it (its User-Agent as it sent it, and its address). */
  client: ClientInfo;
  at: Date;
}

/** A catalog string in one language, with `{product}` filled in. */
type T = (key: MessageKey, vars?: Vars) => string;

function strings(site: MailSite, locale: Locale): T {
  return (key, vars = {}) => translate(locale, key, { product: site.productName, ...vars });
}

/**
 * A mail carrying a one-time token: an intro, a button to `${webUrl}${path}?token=…` (the raw
 * link follows as text), a note on how long it works. `keys` names its catalog strings (the
 * `<kind>.subject/.intro/.button/.note` set and the footer). The mail expires with the token.
 */
export function linkMail(
  site: MailSite,
  to: Recipient,
  keys: { subject: MessageKey; intro: MessageKey; button: MessageKey; note: MessageKey; footer: MessageKey },
  link: { path: string; issued: IssuedToken },
): MailMessage {
  const t = strings(site, to.locale);
  return renderMail(
    site,
    to,
    {
      subject: t(keys.subject),
      blocks: [{ paragraph: t(keys.intro) }, { button: t(keys.button), link: webLink(site.webUrl, link.path, link.issued.token) }, { note: t(keys.note) }],
      footer: t(keys.footer),
    },
    link.issued.expiresAt,
  );
}

/**
 * A notice without a token: its subject and blocks are written with `t` (catalog strings in
 * the recipient's language, `{product}` filled in). `page` makes a web-app page link.
 */
export function noticeMail(
  site: MailSite,
  to: Recipient,
  build: (t: T, page: (path: string) => string) => { subject: string; blocks: MailBlock[]; footer: string },
): MailMessage {
  return renderMail(site, to, build(strings(site, to.locale), (path) => webPage(site.webUrl, path)));
}

/** Email verification (Register, RequestEmailVerification); the token works 24 hours. */
export function verificationMail(site: MailSite, to: Recipient, issued: IssuedToken): MailMessage {
  const keys = { subject: "verification.subject", intro: "verification.intro", button: "verification.button", note: "verification.note", footer: "footer.signUp" } as const;
  return linkMail(site, to, keys, { path: "/verify-email", issued });
}

/** Password reset (RequestPasswordReset); the token works 1 hour. */
export function passwordResetMail(site: MailSite, to: Recipient, issued: IssuedToken): MailMessage {
  const keys = { subject: "reset.subject", intro: "reset.intro", button: "reset.button", note: "reset.note", footer: "footer.account" } as const;
  return linkMail(site, to, keys, { path: "/reset-password", issued });
}

/**
 * To the new address of an email change (UserService.RequestEmailChange): the link confirms
 * it. `path` is the web-app page that spends the token (it calls AuthService.ConfirmEmailChange).
 */
export function emailChangeConfirmMail(site: MailSite, to: Recipient, issued: IssuedToken, path = "/confirm-email-change"): MailMessage {
  const keys = { subject: "emailChange.subject", intro: "emailChange.intro", button: "emailChange.button", note: "emailChange.note", footer: "footer.newAddress" } as const;
  return linkMail(site, to, keys, { path, issued });
}

/**
 * To an address someone tried to move another account to while an account already uses it
 * (UserService.RequestEmailChange answers the same either way). In the language of the account
 * that owns the address. It carries no token.
 */
export function emailTakenMail(site: MailSite, to: Recipient): MailMessage {
  return noticeMail(site, to, (t, page) => ({
    subject: t("emailTaken.subject"),
    blocks: [{ paragraph: t("emailTaken.intro") }, { paragraph: t("emailTaken.ifYou") }, { button: t("emailTaken.button"), link: page("/signin") }, { note: t("emailTaken.note") }],
    footer: t("footer.addressTaken"),
  }));
}

/** How much of a User-Agent a mail quotes: enough to recognise a browser, not a page of text. */
const DEVICE_MAX = 160;

/**
 * The User-Agent as given, on one line and cut short: it is the caller's own text, so it is
 * quoted as data (control characters become spaces), never trusted to be short or tidy.
 * Empty when there is none.
 */
export function deviceLabel(userAgent: string): string {
  const flat = userAgent.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
  return flat.length > DEVICE_MAX ? `${flat.slice(0, DEVICE_MAX - 1)}…` : flat;
}

/** A time as the recipient reads it, always in UTC (the service does not know their zone). */
export function mailTime(at: Date, locale: Locale): string {
  if (locale === "en") return at.toUTCString();
  return new Intl.DateTimeFormat("fr-FR", { dateStyle: "full", timeStyle: "long", timeZone: "UTC" }).format(at);
}

function details(t: T, locale: Locale, { client, at }: SecurityEvent): MailBlock {
  return {
    lines: [
      t("details.device", { device: deviceLabel(client.userAgent) || t("details.unknownDevice") }),
      t("details.ip", { ip: client.ipAddress || t("details.unknownIp") }),
      t("details.time", { time: mailTime(at, locale) }),
    ],
  };
}

/** A security notice: intro, where and when, the way back if it was not the owner (the reset page), nothing to do if it was. */
type NoticeKind =
  | "newSignIn"
  | "passwordChanged"
  | "signedOut"
  | "recoveryCodeUsed"
  | "secondFactorsRemoved"
  | "authenticatorEnabled"
  | "authenticatorDisabled"
  | "passkeyAdded"
  | "passkeyRemoved";

function securityNotice(site: MailSite, to: Recipient, kind: NoticeKind, event: SecurityEvent, vars: Vars = {}): MailMessage {
  return noticeMail(site, to, (t, page) => ({
    subject: t(`${kind}.subject`),
    blocks: [
      { paragraph: t(`${kind}.intro`, vars) },
      details(t, to.locale, event),
      { paragraph: t("security.ifNotYou") },
      { button: t("security.resetButton"), link: page("/forgot-password") },
      { note: t("security.ignoreIfYou") },
    ],
    footer: t("footer.account"),
  }));
}

/** A sign-in from a device the account has not used lately. */
export function newSignInMail(site: MailSite, to: Recipient, event: SecurityEvent): MailMessage {
  return securityNotice(site, to, "newSignIn", event);
}

/** The password was changed (UserService.ChangePassword) or reset by mail (AuthService.ResetPassword). */
export function passwordChangedMail(site: MailSite, to: Recipient, event: SecurityEvent): MailMessage {
  return securityNotice(site, to, "passwordChanged", event);
}

/** A recovery code was spent (sign-in or step-up); `remaining` unused codes are left. */
export function recoveryCodeUsedMail(site: MailSite, to: Recipient, event: SecurityEvent & { remaining: number }): MailMessage {
  return securityNotice(site, to, "recoveryCodeUsed", event, { remaining: event.remaining });
}

/** An admin removed the account's second factors (UserService.RemoveSecondFactors). */
export function secondFactorsRemovedMail(site: MailSite, to: Recipient, event: SecurityEvent): MailMessage {
  return securityNotice(site, to, "secondFactorsRemoved", event);
}

/** An authenticator app was confirmed (UserService.ConfirmTotpEnrollment). */
export function authenticatorEnabledMail(site: MailSite, to: Recipient, event: SecurityEvent): MailMessage {
  return securityNotice(site, to, "authenticatorEnabled", event);
}

/** The user turned the authenticator app off (UserService.DisableTotp). */
export function authenticatorDisabledMail(site: MailSite, to: Recipient, event: SecurityEvent): MailMessage {
  return securityNotice(site, to, "authenticatorDisabled", event);
}

/**
 * A passkey was registered (UserService.FinishPasskeyRegistration). Its label is left out: it
 * is free text chosen by whoever added it, which may not be the owner.
 */
export function passkeyAddedMail(site: MailSite, to: Recipient, event: SecurityEvent): MailMessage {
  return securityNotice(site, to, "passkeyAdded", event);
}

/** A passkey was deleted by the user (UserService.DeletePasskey). */
export function passkeyRemovedMail(site: MailSite, to: Recipient, event: SecurityEvent): MailMessage {
  return securityNotice(site, to, "passkeyRemoved", event);
}

/** UserService.RevokeAllSessions ended `count` sessions. */
export function signedOutEverywhereMail(site: MailSite, to: Recipient, event: SecurityEvent & { count: number }): MailMessage {
  const t = strings(site, to.locale);
  const sessions = event.count === 1 ? t("signedOut.sessions.one") : t("signedOut.sessions.other", { count: event.count });
  return securityNotice(site, to, "signedOut", event, { sessions });
}

/**
 * To the old address, once an email change has taken effect: the owner learns where their
 * account's mail now goes. A reset link would reach the new address, so the way back offered
 * is the account page, not the reset page.
 */
export function emailChangedMail(site: MailSite, to: Recipient, event: SecurityEvent & { newAddress: string }): MailMessage {
  return noticeMail(site, to, (t, page) => ({
    subject: t("emailChanged.subject"),
    blocks: [
      { paragraph: t("emailChanged.intro", { newAddress: event.newAddress }) },
      details(t, to.locale, event),
      { paragraph: t("emailChanged.ifNotYou") },
      { button: t("emailChanged.button"), link: page("/account") },
      { note: t("security.ignoreIfYou") },
    ],
    footer: t("footer.formerAddress"),
  }));
}
