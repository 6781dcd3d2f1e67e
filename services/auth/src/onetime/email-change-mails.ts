import { composeMail, PRODUCT_NAME, webPage } from "../mail/compose.js";
import type { MailMessage } from "../mail/outbox.js";
import { webLink, type IssuedToken } from "./mail-templates.js";

/** To the new address of UserService.RequestEmailChange: the link that confirms it (valid 24 hours). */
export function emailChangeMail(webUrl: string, to: string, { token, expiresAt }: IssuedToken): MailMessage {
  return composeMail(
    to,
    `Confirm the new email address of your ${PRODUCT_NAME} account`,
    [
      `Someone, hopefully you, asked to move a ${PRODUCT_NAME} account to this address. It changes only once you confirm.`,
      { label: "Confirm this address", link: webLink(webUrl, "/confirm-email-change", token) },
      { note: "The link works once, for 24 hours. If you did not ask for this, ignore this mail: nothing changes." },
    ],
    expiresAt,
  );
}

/**
 * To a new address that already belongs to an account, in place of the link: the requester
 * gets the same answer either way, and only the mailbox's owner learns of the attempt.
 */
export function emailChangeTakenMail(webUrl: string, to: string): MailMessage {
  return composeMail(to, `Someone tried to move a ${PRODUCT_NAME} account to this address`, [
    `Someone asked to move another ${PRODUCT_NAME} account to this address, which your account already uses. Nothing changed.`,
    "If you were trying to change your own address, you already use this one.",
    { label: "Open your account", link: webPage(webUrl, "/account") },
    { note: "If this was not you, ignore this mail: your account is not affected." },
  ]);
}
