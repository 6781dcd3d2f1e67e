/**
 * Mail that is not sent at once: retried through a long SMTP outage and then delivered once,
 * EXPIRED (and erased) when its link lapses first, released for retry when SMTP hangs, and
 * requeued from FAILED by `npm run mail`. Against a real PostgreSQL (a scratch database, so
 * no other file's worker claims this file's mail) and a real SMTP server that refuses, then
 * accepts. A worker clock moved by hand stands in for hours of outage.
 */
import { execFile } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/db/client.js";
import { enqueueMail, type MailMessage } from "../../src/mail/outbox.js";
import { OutboxWorker, type OutboxWorkerOptions } from "../../src/mail/outbox-worker.js";
import { MAIL_ID_HEADER, SmtpTransport, type MailTransport } from "../../src/mail/transport.js";
import { mailCli } from "../../src/mail/mail-cli.js";
import { createMail } from "../../src/server/mail-wiring.js";
import { memoryLogger, testConfig, uniqueEmail } from "../harness.js";
import { manualClock } from "../manual-clock.js";
import { scratchPrisma, type PrismaScratchDatabase } from "../scratch-db.js";
import { startSmtp, type TestSmtp } from "../smtp.js";

const MINUTE = 60_000;
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

let scratch: PrismaScratchDatabase;
let db: PrismaClient;
const { logger } = memoryLogger();
const kek = testConfig().keyEncryptionKey;

beforeAll(async () => {
  scratch = await scratchPrisma();
  db = scratch.db;
});
afterAll(() => scratch?.drop());
beforeEach(async () => {
  await db.outboxMail.deleteMany();
});

async function queue(message: MailMessage): Promise<string> {
  return db.$transaction((tx) => enqueueMail(tx, kek, message));
}

const mail = (to: string, expiresAt?: Date): MailMessage => ({ to, subject: "Your link", text: "link: https://web.test/x?token=secret", html: "<a>link</a>", expiresAt });

/** Outbox ids of the messages the SMTP server accepted. */
const deliveredIds = (smtp: TestSmtp) => smtp.received.map((m) => m.headers.get(MAIL_ID_HEADER.toLowerCase()));

describe("over a long SMTP outage", () => {
  let smtp: TestSmtp;
  let w: OutboxWorker;
  let clock: ReturnType<typeof manualClock>;
  beforeEach(async () => {
    smtp = await startSmtp();
    smtp.refusing = true;
    clock = manualClock();
    w = new OutboxWorker(db, new SmtpTransport(`smtp://127.0.0.1:${smtp.port}`, "from@tessera.test"), kek, logger, { clock: clock.now });
  });
  afterEach(async () => {
    await w.stop();
    await smtp.close();
  });

  /** One attempt per backoff step: advance past the longest backoff, then drain. */
  async function outage(steps: number): Promise<void> {
    for (let i = 0; i < steps; i++) {
      await w.drain();
      clock.advance(10 * MINUTE);
    }
  }

  it("keeps retrying past 10 attempts (about 2 hours) and delivers each mail once when SMTP is back", async () => {
    const plain = await queue(mail(uniqueEmail("plain")));
    const reset = await queue(mail(uniqueEmail("reset"), new Date(clock.now().getTime() + 3 * 60 * MINUTE)));

    await outage(14);

    for (const id of [plain, reset]) {
      const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: "QUEUED", attempts: 14, sentAt: null });
      expect(row.lastError).toMatch(/451/);
    }
    expect(smtp.refused).toBe(28);

    smtp.refusing = false;
    await w.drain();
    await w.drain();

    expect(deliveredIds(smtp).sort()).toEqual([plain, reset].sort());
    for (const id of [plain, reset]) expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "SENT", attempts: 15, bodyEnc: null });
  });

  it("marks a mail whose token expired during the outage EXPIRED, erases it and never sends it", async () => {
    const id = await queue(mail(uniqueEmail("expiring"), new Date(clock.now().getTime() + 60 * MINUTE)));

    await outage(7); // 70 minutes: the hour-long reset token has expired

    expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "EXPIRED", bodyEnc: null, sentAt: null });
    smtp.refusing = false;
    await outage(2);
    expect(smtp.received).toHaveLength(0);
    expect(await db.outboxMail.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "EXPIRED" });
  });
});

describe("the lease", () => {
  let silent: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never greets: a hung SMTP server.
    silent = createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it("is twice the configured send timeout, and nodemailer's timeouts fit inside that send timeout", () => {
    const { worker } = createMail(testConfig({ SMTP_URL: "smtp://127.0.0.1:9", TESSERA_MAIL_SEND_TIMEOUT: "20" }), db, logger);
    expect(worker.options.sendTimeoutMs).toBe(20_000);
    expect(worker.leaseMs).toBe(40_000);
  });

  it("holds a claimed mail for 2x the send timeout, and a hung SMTP server releases it for retry, not after 10 minutes", async () => {
    const clock = manualClock();
    const sendTimeoutMs = 1200;
    let release: () => void = () => {};
    const held: MailTransport = { send: () => new Promise<void>((_, reject) => (release = () => reject(new Error("421 closing")))) };
    const id = await queue(mail(uniqueEmail("lease")));
    const opts: Partial<OutboxWorkerOptions> = { clock: clock.now, sendTimeoutMs };

    // A worker mid-send: the row is leased until now + 2 x send timeout.
    const busy = new OutboxWorker(db, held, kek, logger, opts);
    const tick = busy.tick();
    await expect.poll(async () => (await db.outboxMail.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);
    expect((await db.outboxMail.findUniqueOrThrow({ where: { id } })).nextAttemptAt.getTime()).toBe(clock.now().getTime() + 2 * sendTimeoutMs);
    release();
    await tick;
    await db.outboxMail.update({ where: { id }, data: { nextAttemptAt: clock.now() } });

    // A server that never answers: the send fails within its timeout and the mail is due again after its backoff.
    const hung = new OutboxWorker(db, new SmtpTransport(`smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`, "f@tessera.test", sendTimeoutMs), kek, logger, opts);
    await hung.drain();
    const row = await db.outboxMail.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "QUEUED" });
    expect(row.lastError).toMatch(/greeting|timed out|timeout/i);
    expect(row.nextAttemptAt.getTime()).toBeLessThanOrEqual(clock.now().getTime() + 2 * 2000);
    await hung.stop();
  });
});

describe("npm run mail", () => {
  const run = (...args: string[]) =>
    promisify(execFile)(`${ROOT}node_modules/.bin/tsx`, ["services/auth/src/mail/mail-cli.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: scratch.url },
    }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );

  const inProcess = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await mailCli(args, { DATABASE_URL: scratch.url }, { out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  // Two tsx start-ups on a loaded machine: more than the default 30 s is allowed.
  it("shows the outbox without bodies, and requeues FAILED mail, which is then delivered once; expired mail is refused", { timeout: 90_000 }, async () => {
    const smtp = await startSmtp();
    smtp.refusing = true;
    const clock = manualClock();
    const w = new OutboxWorker(db, new SmtpTransport(`smtp://127.0.0.1:${smtp.port}`, "from@tessera.test"), kek, logger, { clock: clock.now, retryWindowMs: 30 * MINUTE });
    try {
      const failed = await queue(mail(uniqueEmail("failed")));
      const expired = await queue(mail(uniqueEmail("expired"), new Date(clock.now().getTime() + 15 * MINUTE)));
      for (let i = 0; i < 5; i++) {
        await w.drain();
        clock.advance(10 * MINUTE);
      }
      expect(await db.outboxMail.findUniqueOrThrow({ where: { id: failed } })).toMatchObject({ status: "FAILED" });
      expect(await db.outboxMail.findUniqueOrThrow({ where: { id: expired } })).toMatchObject({ status: "EXPIRED" });

      const status = await run("status");
      expect(status.code).toBe(0);
      expect(status.out).toContain("queued 0, sent 0, failed 1, expired 1");
      expect(status.out).toContain(`${failed} FAILED`);
      expect(status.out).toMatch(/451/);
      expect(status.out).not.toContain("token=secret");

      // Refusals, in process (the same code the command runs).
      const refused = await inProcess("requeue", expired);
      expect(refused.code).toBe(1);
      expect(refused.err).toContain(`refused ${expired}: its link expired`);
      expect((await inProcess("requeue")).err).toContain("usage:");

      const requeued = await run("requeue", "--failed");
      expect(requeued).toMatchObject({ code: 0 });
      expect(requeued.out).toContain(`requeued ${failed}`);
      expect(await db.outboxMail.findUniqueOrThrow({ where: { id: failed } })).toMatchObject({ status: "QUEUED", attempts: 0, lastError: null });

      smtp.refusing = false;
      await w.drain();
      expect(deliveredIds(smtp)).toEqual([failed]);
      expect(await db.outboxMail.findUniqueOrThrow({ where: { id: failed } })).toMatchObject({ status: "SENT", attempts: 1, bodyEnc: null });

      const again = await inProcess("requeue", failed);
      expect(again).toMatchObject({ code: 1, err: expect.stringContaining("SENT already") });
    } finally {
      await w.stop();
      await smtp.close();
    }
  });
});
