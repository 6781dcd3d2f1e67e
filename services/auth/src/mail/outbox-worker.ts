import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/client.js";
import type { MailTransport, OutgoingMail } from "./transport.js";

export interface OutboxWorkerOptions {
  /** Idle poll interval (new mail queued in this process is picked up at once via nudge()). */
  pollMs: number;
  /** Messages claimed per tick (sent concurrently). */
  batch: number;
  /** Attempts before a message is marked FAILED. */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubles with each further failure. */
  backoffBaseMs: number;
  /** Longest delay between attempts. */
  backoffMaxMs: number;
  /**
   * How long a claimed message is reserved for the worker that claimed it. Must comfortably
   * exceed the longest possible send (the SMTP transport's timeouts bound it to ~1.5 min).
   */
  leaseMs: number;
  /** The worker's notion of now (tests inject one). */
  clock: () => Date;
}

export const DEFAULT_OUTBOX_OPTIONS: OutboxWorkerOptions = {
  pollMs: 1000,
  batch: 10,
  maxAttempts: 10,
  backoffBaseMs: 2000,
  backoffMaxMs: 10 * 60 * 1000,
  leaseMs: 10 * 60 * 1000,
  clock: () => new Date(),
};

/** Longest lastError stored. */
const MAX_ERROR_LENGTH = 1000;

/** Delay before the next attempt after `attempts` failed ones: base, 2·base, 4·base, … capped. */
export function backoffMs(attempts: number, opts: Pick<OutboxWorkerOptions, "backoffBaseMs" | "backoffMaxMs">): number {
  const exp = Math.max(0, attempts - 1);
  // 2^30 already exceeds any sane cap; avoid Infinity arithmetic.
  return Math.min(opts.backoffBaseMs * 2 ** Math.min(exp, 30), opts.backoffMaxMs);
}

interface Claimed extends OutgoingMail {
  attempts: number;
}

/**
 * Delivers OutboxMail rows through a MailTransport.
 *
 * Claiming (why a lease rather than a transaction held across the send): a tick runs one short
 * statement that picks due QUEUED rows with `FOR UPDATE SKIP LOCKED`, pushes their
 * `nextAttemptAt` forward by `leaseMs` and counts the attempt, and commits at once. Once that
 * commits the rows are no longer due, so no other worker (in this or another replica) picks them
 * up while this one sends; no transaction or row lock is held during a slow SMTP exchange, and
 * concurrent claimers never block each other (SKIP LOCKED; PostgreSQL re-checks the WHERE
 * clause on a row updated meanwhile, so a row just leased elsewhere is excluded).
 *
 * After the transport accepts a message it is marked SENT; on failure it gets lastError and a
 * backoff, or FAILED after maxAttempts. Both updates are fenced on the lease (status QUEUED and
 * nextAttemptAt = this lease's end): a worker whose lease ran out does not overwrite a newer
 * claim. The attempt counter is bumped at claim time, so a message whose send crashes the
 * process still runs out of attempts.
 *
 * Exactly once holds as long as a send finishes within the lease. The one unavoidable gap is a
 * crash (or lost database) between the SMTP server accepting a message and the SENT update:
 * the lease then expires and the message is sent again. Its Message-ID is derived from the
 * outbox id, so such a duplicate is recognisable.
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
    private readonly logger: Logger,
    opts: Partial<OutboxWorkerOptions> = {},
  ) {
    this.opts = { ...DEFAULT_OUTBOX_OPTIONS, ...opts };
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
    this.run();
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

  /** Claims up to `batch` due messages and tries each once; returns how many were claimed. */
  async tick(): Promise<number> {
    const now = this.opts.clock();
    const leaseUntil = new Date(now.getTime() + this.opts.leaseMs);
    const claimed = await this.db.$queryRaw<Claimed[]>`
      UPDATE "OutboxMail" AS o
      SET "nextAttemptAt" = ${leaseUntil}, attempts = o.attempts + 1
      FROM (
        SELECT id FROM "OutboxMail"
        WHERE status = 'QUEUED' AND "nextAttemptAt" <= ${now}
        ORDER BY "nextAttemptAt"
        LIMIT ${this.opts.batch}
        FOR UPDATE SKIP LOCKED
      ) AS due
      WHERE o.id = due.id
      RETURNING o.id, o."to", o.subject, o.text, o.html, o.attempts`;
    await Promise.all(claimed.map((m) => this.deliver(m, leaseUntil)));
    return claimed.length;
  }

  private async deliver(m: Claimed, leaseUntil: Date): Promise<void> {
    const lease = { id: m.id, status: "QUEUED" as const, nextAttemptAt: leaseUntil };
    let failure: string | undefined;
    try {
      await this.transport.send({ id: m.id, to: m.to, subject: m.subject, text: m.text, html: m.html });
    } catch (err) {
      failure = (err instanceof Error ? err.message || err.name : String(err)).slice(0, MAX_ERROR_LENGTH);
    }
    try {
      if (failure === undefined) {
        const { count } = await this.db.outboxMail.updateMany({ where: lease, data: { status: "SENT", sentAt: this.opts.clock() } });
        if (count === 0) this.logger.warn({ mailId: m.id }, "mail sent after its lease ran out; it may be delivered twice");
        else this.logger.info({ mailId: m.id, attempts: m.attempts }, "mail sent");
        return;
      }
      if (m.attempts >= this.opts.maxAttempts) {
        await this.db.outboxMail.updateMany({ where: lease, data: { status: "FAILED", lastError: failure } });
        this.logger.error({ mailId: m.id, attempts: m.attempts, error: failure }, "mail delivery failed for good");
        return;
      }
      const delay = backoffMs(m.attempts, this.opts);
      const nextAttemptAt = new Date(this.opts.clock().getTime() + delay);
      await this.db.outboxMail.updateMany({ where: lease, data: { lastError: failure, nextAttemptAt } });
      this.logger.warn({ mailId: m.id, attempts: m.attempts, retryInMs: delay, error: failure }, "mail delivery failed; will retry");
    } catch (err) {
      // The lease expires on its own and the message is retried then (possibly re-sent).
      this.logger.error({ mailId: m.id, err: String(err), sent: failure === undefined }, "could not record the mail's outcome");
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
