import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/client.js";
import { untraced } from "../../../shared/trace-context.js";
import { openMailBody } from "./sealed-body.js";
import { DEFAULT_SEND_TIMEOUT_MS, type MailTransport } from "./transport.js";

export interface OutboxWorkerOptions {
  /** Idle poll interval (new mail queued in this process is picked up at once via nudge()). */
  pollMs: number;
  /** Messages claimed per tick (sent concurrently). */
  batch: number;
  /** Delay after the first failed attempt; doubles with each further failure. */
  backoffBaseMs: number;
  /** Longest delay between attempts. */
  backoffMaxMs: number;
  /**
   * Longest one send may take (TESSERA_MAIL_SEND_TIMEOUT); a send still running then counts as
   * failed. The lease is twice this.
   */
  sendTimeoutMs: number;
  /**
   * How long mail without a token is retried, from when it was queued, before it is FAILED
   * (TESSERA_MAIL_RETRY_WINDOW). Mail with a token is retried until the token expires.
   */
  retryWindowMs: number;
  /** The worker's notion of now (tests inject one). */
  clock: () => Date;
  /** Told of every failed send attempt (metrics); must not throw. */
  onSendError: () => void;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxWorkerOptions = {
  pollMs: 1000,
  batch: 10,
  backoffBaseMs: 2000,
  backoffMaxMs: 10 * 60 * 1000,
  sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
  retryWindowMs: 24 * 60 * 60 * 1000,
  clock: () => new Date(),
  onSendError: () => {},
};

/** Longest lastError stored. */
const MAX_ERROR_LENGTH = 1000;

/** Delay before the next attempt after `attempts` failed ones: base, 2·base, 4·base, … capped. */
export function backoffMs(attempts: number, opts: Pick<OutboxWorkerOptions, "backoffBaseMs" | "backoffMaxMs">): number {
  const exp = Math.max(0, attempts - 1);
  // 2^30 already exceeds any sane cap; avoid Infinity arithmetic.
  return Math.min(opts.backoffBaseMs * 2 ** Math.min(exp, 30), opts.backoffMaxMs);
}

interface Claimed {
  id: string;
  to: string;
  subject: string;
  bodyEnc: Uint8Array | null;
  attempts: number;
  expiresAt: Date | null;
  queuedAt: Date;
}

/**
 * Delivers OutboxMail rows through a MailTransport.
 *
 * Claiming (why a lease rather than a transaction held across the send): a tick runs one short
 * statement that picks due QUEUED rows with `FOR UPDATE SKIP LOCKED`, pushes their
 * `nextAttemptAt` forward by the lease and counts the attempt, and commits at once. Once that
 * commits the rows are no longer due, so no other worker (in this or another replica) picks them
 * up while this one sends; no transaction or row lock is held during a slow SMTP exchange, and
 * concurrent claimers never block each other (SKIP LOCKED; PostgreSQL re-checks the WHERE
 * clause on a row updated meanwhile, so a row just leased elsewhere is excluded). The lease is
 * twice the send timeout, which the worker enforces: a worker that dies (or loses the
 * database) mid-send delays that mail by minutes, not by an arbitrary constant.
 *
 * The sealed body is opened only here, in memory, just before the send. After the transport
 * accepts a message it is marked SENT and its body erased. A failure is retried with capped
 * exponential backoff, with no attempt limit, as long as the mail is useful (as Keycloak's and
 * Kratos' couriers keep retrying rather than dropping a link): mail with a token until the
 * token expires, then EXPIRED (body erased, never sent); other mail for the retry window, then
 * FAILED (body kept sealed so an operator can requeue it). Outcome updates are fenced on the
 * lease (status QUEUED and nextAttemptAt = this lease's end): a worker whose lease ran out does
 * not overwrite a newer claim.
 *
 * Exactly once holds as long as a send finishes within the lease. The one unavoidable gap is a
 * crash (or lost database) between the SMTP server accepting a message and the SENT update:
 * the lease then expires and the message is sent again. The same holds for a send cut by the
 * send timeout that the server still completes. Its Message-ID is derived from the outbox id,
 * so such a duplicate is recognisable.
 */
export class OutboxWorker {
  private readonly opts: OutboxWorkerOptions;
  private timer: NodeJS.Timeout | undefined;
  /** The background loop's current run, if any. */
  private running: Promise<void> | undefined;
  private again = false;
  private started = false;
  private stopped = false;

  constructor(
    private readonly db: PrismaClient,
    private readonly transport: MailTransport,
    /** The key-encryption key that sealed the bodies. */
    private readonly kek: Buffer,
    private readonly logger: Logger,
    opts: Partial<OutboxWorkerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_OUTBOX_OPTIONS, ...opts };
  }

  /** How long a claimed message is reserved for this worker: twice the send timeout. */
  get leaseMs(): number {
    return 2 * this.opts.sendTimeoutMs;
  }

  /** The options in force (read back by tests and the start-up log). */
  get options(): Readonly<OutboxWorkerOptions> {
    return this.opts;
  }

  /** Starts polling (first tick immediately). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.run();
  }

  /**
   * Stops polling and waits for an in-flight tick (so no query runs after the pool closes).
   * Closes the transport.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.transport.close?.();
  }

  /**
   * Says that mail was just committed: ticks now instead of at the next poll. Safe to call at
   * any time, never throws; a no-op unless the worker is started.
   */
  nudge(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    // Nudged from a request: the loop and every poll it schedules would otherwise stay in that
    // request's trace, and each later log line would carry its trace_id.
    untraced(() => this.run());
  }

  /**
   * Runs ticks until no due mail is left (waiting first for this worker's own in-flight tick).
   * Mail that failed and waits for its backoff is not due. Mail leased by another worker is not
   * waited for. Errors (database down) reject.
   */
  async drain(): Promise<void> {
    await this.running;
    while ((await this.tick()) > 0);
  }

  /**
   * Marks due mail whose token has expired EXPIRED, then claims up to `batch` due messages and
   * tries each once; returns how many were claimed.
   */
  async tick(): Promise<number> {
    const now = this.opts.clock();
    await this.expireDue(now);
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const claimed = await this.db.$queryRaw<Claimed[]>`
      UPDATE "OutboxMail" AS o
      SET "nextAttemptAt" = ${leaseUntil}, attempts = o.attempts + 1
      FROM (
        SELECT id FROM "OutboxMail"
        WHERE status = 'QUEUED' AND "nextAttemptAt" <= ${now}
          AND ("expiresAt" IS NULL OR "expiresAt" > ${now})
        ORDER BY "nextAttemptAt"
        LIMIT ${this.opts.batch}
        FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE o.id = due.id
      RETURNING o.id, o."to", o.subject, o."bodyEnc", o.attempts, o."expiresAt", o."queuedAt"`;
    await Promise.all(claimed.map((m) => this.deliver(m, leaseUntil)));
    return claimed.length;
  }

  /** Unleased QUEUED mail whose token has expired: the link no longer works, so never send it. */
  private async expireDue(now: Date): Promise<void> {
    const expired = await this.db.$queryRaw<{ id: string; attempts: number }[]>`
      UPDATE "OutboxMail" SET status = 'EXPIRED', "bodyEnc" = NULL
      WHERE status = 'QUEUED' AND "expiresAt" <= ${now} AND "nextAttemptAt" <= ${now}
      RETURNING id, attempts`;
    for (const m of expired) this.logger.error({ mailId: m.id, attempts: m.attempts }, "mail expired unsent: its link stopped working before it could be delivered");
  }

  private async deliver(m: Claimed, leaseUntil: Date): Promise<void> {
    const lease = { id: m.id, status: "QUEUED" as const, nextAttemptAt: leaseUntil };
    let failure: string | undefined;
    try {
      if (!m.bodyEnc) throw new Error("the mail has no body");
      const body = openMailBody(m.bodyEnc, this.kek, m.id, m.to);
      await this.sendWithin({ id: m.id, to: m.to, subject: m.subject, ...body });
    } catch (err) {
      failure = (err instanceof Error ? err.message || err.name : String(err)).slice(0, MAX_ERROR_LENGTH);
      this.opts.onSendError();
    }
    try {
      if (failure === undefined) {
        const { count } = await this.db.outboxMail.updateMany({ where: lease, data: { status: "SENT", sentAt: this.opts.clock(), bodyEnc: null } });
        if (count === 0) this.logger.warn({ mailId: m.id }, "mail sent after its lease ran out; it may be delivered twice");
        else this.logger.info({ mailId: m.id, attempts: m.attempts }, "mail sent");
        return;
      }
      const now = this.opts.clock();
      const deadline = m.expiresAt ?? new Date(m.queuedAt.getTime() + this.opts.retryWindowMs);
      if (now >= deadline) {
        const data = m.expiresAt ? { status: "EXPIRED" as const, lastError: failure, bodyEnc: null } : { status: "FAILED" as const, lastError: failure };
        await this.db.outboxMail.updateMany({ where: lease, data });
        this.logger.error({ mailId: m.id, attempts: m.attempts, error: failure, status: data.status }, "mail delivery failed for good");
        return;
      }
      // Never wait past the deadline: a token mail is then expired at once, other mail gets a last try.
      const delay = backoffMs(m.attempts, this.opts);
      const nextAttemptAt = new Date(Math.min(now.getTime() + delay, deadline.getTime()));
      await this.db.outboxMail.updateMany({ where: lease, data: { lastError: failure, nextAttemptAt } });
      this.logger.warn({ mailId: m.id, attempts: m.attempts, retryAt: nextAttemptAt.toISOString(), error: failure }, "mail delivery failed; will retry");
    } catch (err) {
      // The lease expires on its own and the message is retried then (possibly re-sent).
      this.logger.error({ mailId: m.id, err: String(err), sent: failure === undefined }, "could not record the mail's outcome");
    }
  }

  /** The transport's send, bounded by sendTimeoutMs whatever the transport does. */
  private async sendWithin(mail: Parameters<MailTransport["send"]>[0]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`send timed out after ${this.opts.sendTimeoutMs} ms`)), this.opts.sendTimeoutMs);
    });
    try {
      await Promise.race([this.transport.send(mail), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One run of the background loop: ticks while there is more to do, then schedules a poll. */
  private run(): void {
    this.running = (async () => {
      do {
        this.again = false;
        try {
          // A full batch suggests more is due right now.
          if ((await this.tick()) >= this.opts.batch) this.again = true;
        } catch (err) {
          this.logger.warn({ err: String(err) }, "mail outbox poll failed; retrying at the next poll");
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      // A nudge that arrived after the loop's last check still gets its tick now.
      if (this.again) this.run();
      else this.timer = setTimeout(() => this.run(), this.opts.pollMs).unref();
    });
  }
}
