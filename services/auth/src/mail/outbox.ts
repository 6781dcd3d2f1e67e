import type { Prisma } from "../db/generated/client.js";

/** A message to send. Text is required; HTML is the same content for mail clients that want it. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Queues a mail in the caller's transaction: it is delivered (by the outbox worker) if and
 * only if the transaction that announces it commits.
 */
export async function enqueueMail(tx: Prisma.TransactionClient, message: MailMessage): Promise<void> {
  await tx.outboxMail.create({ data: message });
}
