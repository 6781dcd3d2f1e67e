import type { Config } from "../config/config.js";
import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/client.js";
import type { HttpRoute } from "../server/http-routes.js";
import { devMailboxRoutes } from "./dev-mailbox-routes.js";
import { OutboxWorker, type OutboxWorkerOptions } from "./outbox-worker.js";
import { DevMailboxTransport, SmtpTransport, type MailTransport } from "./transport.js";

/** SMTP when SMTP_URL is set, else the development mailbox (config refuses that in production). */
export function mailTransportFor(config: Config, db: PrismaClient): MailTransport {
  return config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.mailFrom) : new DevMailboxTransport(db);
}

/** The outbox worker (not yet started) and, outside production, the dev mailbox routes. */
export function createMail(
  config: Config,
  db: PrismaClient,
  logger: Logger,
  opts: Partial<OutboxWorkerOptions> = {},
): { worker: OutboxWorker; httpRoutes: HttpRoute[] } {
  const worker = new OutboxWorker(db, mailTransportFor(config, db), logger, opts);
  return { worker, httpRoutes: config.env === "production" ? [] : devMailboxRoutes(db) };
}
