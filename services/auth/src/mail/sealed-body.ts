import { openPrivateKey, sealPrivateKey } from "../token/key-encryption.js";

/** The part of a mail that may carry a one-time token, and so is stored only sealed. */
export interface MailBody {
  text: string;
  html: string;
}

// The associated data binds a sealed body to its row and recipient: with write access to the
// table, a sealed reset link still cannot be moved onto another row or redirected to another
// address (opening would fail), only deleted.
const aad = (id: string, to: string) => `tessera.outbox-mail.v1\n${id}\n${to}`;

/**
 * Seals a mail body for OutboxMail.bodyEnc with the deployment's key-encryption key: the
 * same AES-256-GCM construction as signing keys (token/key-encryption.ts).
 */
export function sealMailBody(body: MailBody, kek: Buffer, id: string, to: string): Buffer {
  return sealPrivateKey(Buffer.from(JSON.stringify({ text: body.text, html: body.html })), kek, aad(id, to));
}

/** Opens a sealed body; throws when the key, row id or recipient does not match. */
export function openMailBody(sealed: Uint8Array, kek: Buffer, id: string, to: string): MailBody {
  const parsed = JSON.parse(openPrivateKey(sealed, kek, aad(id, to)).toString("utf8")) as Partial<MailBody>;
  if (typeof parsed.text !== "string" || typeof parsed.html !== "string") throw new Error("sealed mail body is malformed");
  return { text: parsed.text, html: parsed.html };
}
