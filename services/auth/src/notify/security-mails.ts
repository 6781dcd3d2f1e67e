import type { ClientInfo } from "../kernel/client-info.js";
import { composeMail, PRODUCT_NAME, webPage, type MailBlock } from "../mail/compose.js";
import type { MailMessage } from "../mail/outbox.js";

/** How much of a User-Agent a mail quotes: enough to recognise a browser, not a page of text. */
const DEVICE_MAX = 160;

/** Where and when something happened to the account, as the mail states it. */
export interface SecurityEvent {
  /** The client that did it (its User-Agent as it sent it, and its address). */
  client: ClientInfo;
  at: Date;
}

/**
 * The User-Agent as given, on one line and cut short: it is the caller's own text, so it is
 * quoted as data (control characters become spaces), never trusted to be short or tidy.
 */
export function deviceLabel(userAgent: string): string {
  const flat = userAgent.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
  if (flat === "") return "an unknown device";
  return flat.length > DEVICE_MAX ? `${flat.slice(0, DEVICE_MAX - 1)}…` : flat;
}

function details({ client, at }: SecurityEvent): MailBlock {
  return {
    lines: [`Device: ${deviceLabel(client.userAgent)}`, `IP address: ${client.ipAddress || "unknown"}`, `Time: ${at.toUTCString()}`],
  };
}

/** The way back for an owner who did not do this: the reset page (resetting signs out every device). */
function ifNotYou(webUrl: string): MailBlock[] {
  return [
    "If this wasn't you, reset your password now: resetting signs out every device.",
    { label: "Reset your password", link: webPage(webUrl, "/forgot-password") },
  ];
}

const IGNORE_IF_YOU = { note: "If this was you, there is nothing to do." };

/** A sign-in from a device the account has not used lately. */
export function newSignInMail(webUrl: string, to: string, event: SecurityEvent): MailMessage {
  return composeMail(to, `New sign-in to your ${PRODUCT_NAME} account`, [
    `Your ${PRODUCT_NAME} account was just signed in to from a device it has not used recently.`,
    details(event),
    ...ifNotYou(webUrl),
    IGNORE_IF_YOU,
  ]);
}

/** The password was changed (UserService.ChangePassword) or reset by mail (AuthService.ResetPassword). */
export function passwordChangedMail(webUrl: string, to: string, event: SecurityEvent): MailMessage {
  return composeMail(to, `Your ${PRODUCT_NAME} password was changed`, [
    `The password of your ${PRODUCT_NAME} account was changed, and its other devices were signed out.`,
    details(event),
    ...ifNotYou(webUrl),
    IGNORE_IF_YOU,
  ]);
}

/** UserService.RevokeAllSessions ended `count` sessions. */
export function signedOutEverywhereMail(webUrl: string, to: string, event: SecurityEvent & { count: number }): MailMessage {
  const sessions = event.count === 1 ? "1 session" : `${event.count} sessions`;
  return composeMail(to, `You were signed out everywhere on ${PRODUCT_NAME}`, [
    `Your ${PRODUCT_NAME} account was signed out everywhere: ${sessions} ended.`,
    details(event),
    ...ifNotYou(webUrl),
    IGNORE_IF_YOU,
  ]);
}

/**
 * To the old address, once an email change has taken effect: the owner learns where their
 * account's mail now goes. A reset link would reach the new address, so the way back offered
 * is the account page, not the reset page.
 */
export function emailChangedMail(webUrl: string, to: string, event: SecurityEvent & { newAddress: string }): MailMessage {
  return composeMail(to, `The email address of your ${PRODUCT_NAME} account was changed`, [
    `The email address of your ${PRODUCT_NAME} account was changed from this address to ${event.newAddress}. Mail about the account now goes there.`,
    details(event),
    "If this wasn't you, sign in now, change the address back and change your password.",
    { label: "Open your account", link: webPage(webUrl, "/account") },
    IGNORE_IF_YOU,
  ]);
}
