import { randomBytes } from "node:crypto";
import type { Prisma } from "../db/generated/client.js";
import { sealMailBody } from "./sealed-body.js";

/** A message to send. Text is required; HTML is the same content for mail clients that want it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * When the token the mail carries stops working. The mail is retried until then and
   * marked EXPIRED (never sent) after; omit it for mail without a token.
   */
  expiresAt?: Date;
}

/**
 * Queues a mail in the caller's transaction: it is delivered (by the outbox worker) if and
 * only if the transaction that announces it commits. The body is sealed with `kek` before it
 * reaches the database; returns the new row's id.
 */
export async function enqueueMail(tx: Prisma.TransactionClient, kek: Buffer, message: MailMessage): Promise<string> {
  // The id is made here rather than by the database because the seal is bound to it.
  const id = uuidV7();
  await tx.outboxMail.create({
    data: {
      id,
      to: message.to,
      subject: message.subject,
      bodyEnc: new Uint8Array(sealMailBody(message, kek, id, message.to)),
      expiresAt: message.expiresAt ?? null,
    },
  });
  return id;
}

/** What code that sends mail needs: queue in a transaction, then say it committed. */
export interface Mailer {
  /** Queues `message` in `tx` (see enqueueMail). */
  enqueue(tx: Prisma.TransactionClient, message: MailMessage): Promise<string>;
  /** Says that queued mail was committed, so the worker sends it now; never throws. */
  nudge(): void;
}

/** A Mailer that seals with `kek` and nudges `worker`. */
export function outboxMailer(kek: Buffer, worker: { nudge(): void }): Mailer {
  return {
    enqueue: (tx, message) => enqueueMail(tx, kek, message),
    nudge: () => worker.nudge(),
  };
}

/**
 * A UUIDv7 (RFC 9562: 48-bit Unix milliseconds, then random bits), the same shape as the
 * column's default uuid(7), so ids stay time-ordered.
 */
export function uuidV7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
