/**
 * Outbox mail delivery against a real PostgreSQL (a scratch database of its own, so the
 * workers of other test files never claim this file's mail) and a real SMTP server.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/db/client.js";
import { enqueueMail, type MailMessage } from "../../src/mail/outbox.js";
import { OutboxWorker, type OutboxWorkerOptions } from "../../src/mail/outbox-worker.js";
import { DevMailboxTransport, MAIL_ID_HEADER, SmtpTransport, type MailTransport, type OutgoingMail } from "../../src/mail/transport.js";
import { createMail } from "../../src/server/mail-wiring.js";
import { buildComponents } from "../../src/server/app.js";
import { memoryLogger, testConfig, uniqueEmail } from "../harness.js";
import { manualClock } from "../manual-clock.js";
import { scratchPrisma, type PrismaScratchDatabase } from "../scratch-db.js";
import { startSmtp } from "../smtp.js";

/** Counts sends per outbox id; yields between calls so concurrent workers interleave. */
class CountingTransport implements MailTransport {
  readonly sends = new Map<string, number>();
  constructor(private readonly inner?: MailTransport) {}
  async send(m: OutgoingMail): Promise<void> {
    this.sends.set(m.id, (this.sends.get(m.id) ?? 0) + 1);
    await new Promise((resolve) => setImmediate(resolve));
    await this.inner?.send(m);
  }
}

class FailingTransport implements MailTransport {
  async send(): Promise<void> {
    throw new Error("550 mailbox unavailable");
  }
}

function message(to: string, n = 0): MailMessage {
  return { to, subject: `Hello ${n}`, text: `Plain body ${n}`, html: `<p>HTML body ${n}</p>` };
}

let scratch: PrismaScratchDatabase;
let db: PrismaClient;
const { logger, lines } = memoryLogger();
const kek = testConfig().keyEncryptionKey;
const worker = (transport: MailTransport, opts: Partial<OutboxWorkerOptions> = {}) => new OutboxWorker(db, transport, kek, logger, opts);

beforeAll(async () => {
  scratch = await scratchPrisma();
  db = scratch.db;
});
afterAll(() => scratch?.drop());
beforeEach(async () => {
  await db.outboxMail.deleteMany();
  await db.devMail.deleteMany();
});

async function queue(messages: MailMessage[]): Promise<string[]> {
  await db.$transaction(async (tx) => {
    for (const m of messages) await enqueueMail(tx, kek, m);
  });
  const rows = await db.outboxMail.findMany({ where: { to: { in: messages.map((m) => m.to) } }, select: { id: true } });
  return rows.map((r) => r.id);
}

describe("outbox to the development mailbox", () => {
  it("delivers committed mail exactly once, even with two workers draining at the same time", async () => {
    const to = uniqueEmail("outbox");
    const ids = await queue(Array.from({ length: 25 }, (_, n) => message(to, n)));
    const counter = new CountingTransport(new DevMailboxTransport(db));
    const a = worker(counter, { batch: 4 });
    const b = worker(counter, { batch: 4 });

    await Promise.all([a.drain(), b.drain(), a.drain()]);

    expect([...counter.sends.keys()].sort()).toEqual([...ids].sort());
    expect([...counter.sends.values()].every((n) => n === 1)).toBe(true);
    const delivered = await db.devMail.findMany({ where: { to } });
    expect(delivered.map((d) => d.outboxId).sort()).toEqual([...ids].sort());
    const rows = await db.outboxMail.findMany({ where: { id: { in: ids } } });
    for (const r of rows) expect(r).toMatchObject({ status: "SENT", attempts: 1, lastError: null, sentAt: expect.any(Date) });
  });

  it("never delivers mail queued in a rolled-back transaction", async () => {
    const to = uniqueEmail("rollback");
    await expect(
      db.$transaction(async (tx) => {
        await enqueueMail(tx, kek, message(to));
        throw new Error("the announced change failed");
      }),
    ).rejects.toThrow("the announced change failed");
    const counter = new CountingTransport(new DevMailboxTransport(db));

    await worker(counter).drain();

    expect(counter.sends.size).toBe(0);
    expect(await db.outboxMail.count({ where: { to } })).toBe(0);
    expect(await db.devMail.count({ where: { to } })).toBe(0);
  });

  it("stores a retried send once (upsert on the outbox id)", async () => {
    const [id] = await queue([message(uniqueEmail("retry"))]);
    const transport = new DevMailboxTransport(db);
    const m = { id: id!, ...message("Retry@Example.com") };
    await transport.send(m);
    await transport.send(m);
    const rows = await db.devMail.findMany({ where: { outboxId: id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.to).toBe("retry@example.com");
  });

  it("ticks at once when nudged instead of waiting for the next poll", async () => {
    const w = worker(new DevMailboxTransport(db), { pollMs: 60 * 60 * 1000 });
    w.start();
    try {
      await w.drain(); // the start-up tick has run; the next poll is an hour away
      const to = uniqueEmail("nudge");
      const [id] = await queue([message(to)]);
      w.nudge();
      await expect.poll(() => db.devMail.count({ where: { outboxId: id } }), { timeout: 10_000 }).toBe(1);
    } finally {
      await w.stop();
    }
  });

  it("marks mail without a token FAILED once its retry window has passed (not after a number of attempts) and logs an error", async () => {
    const clock = manualClock();
    const to = uniqueEmail("failing");
    const [id] = await queue([message(to)]);
    const w = worker(new FailingTransport(), { clock: clock.now, backoffBaseMs: 1000, retryWindowMs: 60_000 });

    await w.drain();
    expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "QUEUED" });
    clock.advance(61_000);
    await w.drain();

    const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "FAILED", lastError: "550 mailbox unavailable", sentAt: null });
    expect(row.bodyEnc).not.toBeNull(); // kept sealed so an operator can requeue it
    const failures = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.mailId === id);
    expect(failures.filter((l) => l.level === 50)).toMatchObject([{ msg: "mail delivery failed for good", attempts: row.attempts, status: "FAILED" }]);
  });

  it("backs off between attempts: a failed message is not due again until its backoff has passed", async () => {
    const clock = manualClock();
    const [id] = await queue([message(uniqueEmail("backoff"))]);
    const w = worker(new FailingTransport(), { clock: clock.now, backoffBaseMs: 2000 });

    await w.drain();
    await w.drain();
    expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "QUEUED", attempts: 1 });
    clock.advance(2000);
    await w.drain();
    const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "QUEUED", attempts: 2 });
    expect(row.nextAttemptAt.getTime()).toBe(clock.now().getTime() + 4000);
  });
});

describe("outbox over SMTP", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeEach(async () => {
    smtp = await startSmtp();
  });
  afterEach(async () => {
    await smtp?.close();
  });

  it("delivers with the configured sender, recipient, subject and body (wired from SMTP_URL)", async () => {
    const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, MAIL_FROM: "Tessera Test <from@tessera.test>" });
    const { worker: w, httpRoutes } = createMail(config, db, logger);
    expect(httpRoutes.length).toBeGreaterThan(0); // dev routes outside production
    const to = uniqueEmail("smtp");
    const [id] = await queue([message(to, 7)]);

    try {
      await w.drain();
    } finally {
      await w.stop();
    }

    expect(smtp.received).toHaveLength(1);
    const got = smtp.received[0]!;
    expect(got.envelopeFrom).toBe("from@tessera.test");
    expect(got.envelopeTo).toEqual([to]);
    expect(got.headers.get("from")).toBe("Tessera Test <from@tessera.test>");
    expect(got.headers.get("to")).toBe(to);
    expect(got.headers.get("subject")).toBe("Hello 7");
    expect(got.headers.get(MAIL_ID_HEADER.toLowerCase())).toBe(id);
    expect(got.headers.get("message-id")).toBe(`<${id}@tessera.mail>`);
    expect(got.raw).toContain("Plain body 7");
    expect(got.raw).toContain("<p>HTML body 7</p>");
    expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SENT", attempts: 1, sentAt: expect.any(Date) });
    expect(await db.devMail.count()).toBe(0);
  });

  it("keeps mail QUEUED while SMTP is down and delivers each message exactly once when it is back", async () => {
    const port = smtp.port;
    await smtp.close();
    const clock = manualClock();
    const transport = () => new SmtpTransport(`smtp://127.0.0.1:${port}`, "from@tessera.test");
    const a = worker(transport(), { clock: clock.now, batch: 2 });
    const b = worker(transport(), { clock: clock.now, batch: 2 });
    const to = uniqueEmail("outage");
    const ids = await queue(Array.from({ length: 5 }, (_, n) => message(to, n)));

    await Promise.all([a.drain(), b.drain()]);

    const down = await db.outboxMail.findMany({ where: { id: { in: ids } } });
    expect(down).toHaveLength(5);
    for (const r of down) {
      expect(r).toMatchObject({ status: "QUEUED", attempts: 1, sentAt: null });
      expect(r.lastError).toMatch(/ECONNREFUSED/);
      expect(r.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    }

    smtp = await startSmtp(port);
    clock.advance(11 * 60 * 1000); // past the longest backoff
    await Promise.all([a.drain(), b.drain(), a.drain()]);
    await Promise.all([a.stop(), b.stop()]);

    const perId = new Map<string, number>();
    for (const m of smtp.received) {
      const mailId = m.headers.get(MAIL_ID_HEADER.toLowerCase())!;
      perId.set(mailId, (perId.get(mailId) ?? 0) + 1);
    }
    expect([...perId.keys()].sort()).toEqual([...ids].sort());
    expect([...perId.values()].every((n) => n === 1)).toBe(true);
    const up = await db.outboxMail.findMany({ where: { id: { in: ids } } });
    for (const r of up) expect(r).toMatchObject({ status: "SENT", attempts: 2, sentAt: expect.any(Date) });
  });

  it("never stores SMTP credentials in lastError", async () => {
    const port = smtp.port;
    await smtp.close();
    const secret = "s3cret-Passw0rd";
    const [id] = await queue([message(uniqueEmail("creds"))]);
    const w = worker(new SmtpTransport(`smtp://mailer:${secret}@127.0.0.1:${port}`, "from@tessera.test"), { clock: manualClock().now });
    await w.drain();
    const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
    expect(row.lastError).toBeTruthy();
    expect(row.lastError).not.toContain(secret);
    expect(lines.join("\n")).not.toContain(secret);
  });
});

describe("wiring", () => {
  it("wire() starts a worker that delivers to the dev mailbox and stops with the components", async () => {
    const { logger: appLogger } = memoryLogger();
    const components = await buildComponents(testConfig(), scratch.url, appLogger);
    try {
      expect(components.mail).toBeInstanceOf(OutboxWorker);
      expect(components.httpRoutes.some((r) => r.path.test("/dev/mail"))).toBe(true);
      const to = uniqueEmail("wired");
      await components.db.$transaction((tx) => enqueueMail(tx, kek, message(to)));
      components.mail.nudge();
      await components.mail.drain();
      await expect.poll(() => db.devMail.count({ where: { to } }), { timeout: 10_000 }).toBe(1);
    } finally {
      await components.close();
    }
  });
});
