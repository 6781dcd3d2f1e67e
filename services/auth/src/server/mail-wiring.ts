import type { Config } from "../config/config.js";
import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/client.js";
import type { HttpRoute } from "../http/http-routes.js";
import { devMailboxRoutes } from "../http/dev-mailbox-routes.js";
import { outboxMailer, type Mailer } from "../mail/outbox.js";
import { OutboxWorker, type OutboxWorkerOptions } from "../mail/outbox-worker.js";
import { DevMailboxTransport, SmtpTransport, type MailTransport } from "../mail/transport.js";

/** SMTP when SMTP_URL is set, else the development mailbox (config refuses that in production). */
export function mailTransportFor(config: Config, db: PrismaClient): MailTransport {
  return config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.mailFrom, config.mail.sendTimeoutSeconds * 1000) : new DevMailboxTransport(db);
}

/** The worker's options from TESSERA_MAIL_*. */
export function outboxOptionsFor(config: Config): Partial<OutboxWorkerOptions> {
  return { sendTimeoutMs: config.mail.sendTimeoutSeconds * 1000, retryWindowMs: config.mail.retryWindowSeconds * 1000 };
}

/**
 * The outbox worker (not yet started), the mailer that queues sealed mail for it and, outside
 * production, the dev mailbox routes. Old mail is deleted by the retention sweeper.
 */
export function createMail(
  config: Config,
  db: PrismaClient,
  logger: Logger,
  opts: Partial<OutboxWorkerOptions> = {},
): { worker: OutboxWorker; mailer: Mailer; httpRoutes: HttpRoute[] } {
  const kek = config.keyEncryptionKey;
  const worker = new OutboxWorker(db, mailTransportFor(config, db), kek, logger, { ...outboxOptionsFor(config), ...opts });
  return {
    worker,
    mailer: outboxMailer(kek, worker),
    httpRoutes: config.env === "production" ? [] : devMailboxRoutes(db),
  };
}
