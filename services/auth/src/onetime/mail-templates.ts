import type { MailMessage } from "../mail/outbox.js";

/**
 * A link into the web app. The base is the configured web URL only, never anything from the
 * request (Host, Origin, X-Forwarded-*), so a caller cannot make the mail point elsewhere.
 */
export function webLink(webUrl: string, path: string, token: string): string {
  return `${webUrl.replace(/\/+$/, "")}${path}?token=${encodeURIComponent(token)}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A token as issued (one-time-tokens.ts): the mail is useless, and never sent, after expiresAt. */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

function message(to: string, subject: string, intro: string, action: string, link: string, outro: string, expiresAt: Date): MailMessage {
  const text = `${intro}\n\n${action}:\n${link}\n\n${outro}\n`;
  const html =
    `<!doctype html><html><body style="font-family:sans-serif">` +
    `<p>${escapeHtml(intro)}</p>` +
    `<p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p>` +
    `<p style="color:#555">${escapeHtml(outro)}</p>` +
    `</body></html>`;
  return { to, subject, text, html, expiresAt };
}

/** The mail carrying an email-verification token (valid 24 hours). */
export function verificationMail(webUrl: string, to: string, { token, expiresAt }: IssuedToken): MailMessage {
  return message(
    to,
    "Confirm your email address",
    "Please confirm that this address belongs to your Tessera account.",
    "Confirm your email address",
    webLink(webUrl, "/verify-email", token),
    "The link works once, for 24 hours. If you did not create a Tessera account, ignore this mail.",
    expiresAt,
  );
}

/** The mail carrying a password-reset token (valid 1 hour). */
export function passwordResetMail(webUrl: string, to: string, { token, expiresAt }: IssuedToken): MailMessage {
  return message(
    to,
    "Reset your Tessera password",
    "Someone, hopefully you, asked to reset the password of the Tessera account that uses this address.",
    "Choose a new password",
    webLink(webUrl, "/reset-password", token),
    "The link works once, for one hour. Resetting signs out every device. If you did not ask for this, ignore this mail: your password stays as it is.",
    expiresAt,
  );
}
