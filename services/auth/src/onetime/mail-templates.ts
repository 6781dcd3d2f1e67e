import { composeMail, PRODUCT_NAME, webPage } from "../mail/compose.js";
import type { MailMessage } from "../mail/outbox.js";

/** A link into the web app carrying a one-time token (see webPage for where it may point). */
export function webLink(webUrl: string, path: string, token: string): string {
  return `${webPage(webUrl, path)}?token=${encodeURIComponent(token)}`;
}

/** A token as issued (one-time-tokens.ts): the mail is useless, and never sent, after expiresAt. */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** The mail carrying an email-verification token (valid 24 hours). */
export function verificationMail(webUrl: string, to: string, { token, expiresAt }: IssuedToken): MailMessage {
  return composeMail(
    to,
    "Confirm your email address",
    [
      `Please confirm that this address belongs to your ${PRODUCT_NAME} account.`,
      { label: "Confirm your email address", link: webLink(webUrl, "/verify-email", token) },
      { note: `The link works once, for 24 hours. If you did not create a ${PRODUCT_NAME} account, ignore this mail.` },
    ],
    expiresAt,
  );
}

/** The mail carrying a password-reset token (valid 1 hour). */
export function passwordResetMail(webUrl: string, to: string, { token, expiresAt }: IssuedToken): MailMessage {
  return composeMail(
    to,
    `Reset your ${PRODUCT_NAME} password`,
    [
      `Someone, hopefully you, asked to reset the password of the ${PRODUCT_NAME} account that uses this address.`,
      { label: "Choose a new password", link: webLink(webUrl, "/reset-password", token) },
      { note: "The link works once, for one hour. Resetting signs out every device. If you did not ask for this, ignore this mail: your password stays as it is." },
    ],
    expiresAt,
  );
}
