import nodemailer from "nodemailer";
import type { PrismaClient } from "../db/client.js";

/** One outbox message on its way out; `id` is the OutboxMail id. */
export interface OutgoingMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Where mail goes. `send` resolves only once the message has been accepted (by the SMTP
 * server, or stored in the development mailbox); anything else must reject.
 */
export interface MailTransport {
  send(m: OutgoingMail): Promise<void>;
  /** Releases connections; called when the worker stops. */
  close?(): void;
}

/** Header carrying the outbox id, so receivers (and tests) can tell retries of one message apart. */
export const MAIL_ID_HEADER = "X-Tessera-Mail-Id";

/** Default bound on one whole send (connect, greeting, dialogue, data): TESSERA_MAIL_SEND_TIMEOUT. */
export const DEFAULT_SEND_TIMEOUT_MS = 60_000;

/**
 * nodemailer's own limits, derived from the whole-send bound so an SMTP outage (refused, silent
 * or stalled server) fails a send well inside it: DNS, connect and greeting each get a sixth of
 * it (at most 10 s), an idle socket half. nodemailer's defaults (30 s DNS, 2 min connect, 1 h
 * idle socket) would let one send outlive any sensible lease. The worker also enforces the
 * whole-send bound itself, for a server that trickles bytes.
 */
export function smtpTimeouts(sendTimeoutMs: number): { dnsTimeout: number; connectionTimeout: number; greetingTimeout: number; socketTimeout: number } {
  const phase = Math.min(10_000, Math.floor(sendTimeoutMs / 6));
  return { dnsTimeout: phase, connectionTimeout: phase, greetingTimeout: phase, socketTimeout: Math.floor(sendTimeoutMs / 2) };
}

/** Sends through an SMTP server (nodemailer, one connection per message). */
export class SmtpTransport implements MailTransport {
  /** The nodemailer timeouts in force (ms). */
  readonly timeouts: ReturnType<typeof smtpTimeouts>;
  private readonly transporter: nodemailer.Transporter;
  private readonly secrets: string[];

  constructor(
    smtpUrl: string,
    private readonly from: string,
    sendTimeoutMs = DEFAULT_SEND_TIMEOUT_MS,
  ) {
    this.timeouts = smtpTimeouts(sendTimeoutMs);
    this.transporter = nodemailer.createTransport({ url: smtpUrl, ...this.timeouts });
    const url = new URL(smtpUrl);
    // Credentials in SMTP_URL must never reach lastError or a log line.
    this.secrets = [url.password, decodeURIComponent(url.password)].filter((s) => s.length >= 3);
  }

  async send(m: OutgoingMail): Promise<void> {
    try {
      await this.transporter.sendMail({
        from: this.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        // The outbox id makes the Message-ID stable across retries: a receiver that saw a
        // message twice (crash between acceptance and marking it SENT) can drop the copy.
        messageId: `<${m.id}@tessera.mail>`,
        headers: { [MAIL_ID_HEADER]: m.id },
      });
    } catch (err) {
      throw new MailSendError(this.redact(errorMessage(err)), err);
    }
  }

  close(): void {
    this.transporter.close();
  }

  private redact(message: string): string {
    let out = message;
    for (const s of this.secrets) out = out.split(s).join("[redacted]");
    return out;
  }
}

/** A failed send; the message is safe to store and log (server responses included, no credentials). */
export class MailSendError extends Error {
  override name = "MailSendError";
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  constructor(message: string, cause: unknown) {
    super(message);
    const c = cause as { code?: unknown; responseCode?: unknown } | null;
    this.code = typeof c?.code === "string" ? c.code : undefined;
    this.responseCode = typeof c?.responseCode === "number" ? c.responseCode : undefined;
  }
}

/**
 * The development mailbox: "sends" by storing the message in DevMail, readable with
 * GET /dev/mail. Upserts on the outbox id, so a retried send never stores a second copy.
 */
export class DevMailboxTransport implements MailTransport {
  constructor(private readonly db: PrismaClient) {}

  async send(m: OutgoingMail): Promise<void> {
    await this.db.devMail.upsert({
      where: { outboxId: m.id },
      create: { outboxId: m.id, to: m.to.trim().toLowerCase(), subject: m.subject, text: m.text, html: m.html },
      update: {},
    });
  }
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
