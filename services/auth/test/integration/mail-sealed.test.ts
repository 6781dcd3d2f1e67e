/**
 * One-time tokens must not be readable from the database, not even in queued mail. A password-reset
 * mail is queued through the real server while a real SMTP server refuses it, so the row can
 * be read (with plain SQL, as an attacker with read access would) before and after delivery;
 * the delivered link must still work. Settled mail is purged after the retention period.
 */
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { PrismaClient } from "../../src/db/client.js";
import { purgeOldMail } from "../../src/mail/mail-retention.js";
import { createMail } from "../../src/server/mail-wiring.js";
import { GOOD_PASSWORD, memoryLogger, startTestServer, testConfig, uniqueEmail, type TestServer } from "../harness.js";
import { scratchPrisma, type PrismaScratchDatabase } from "../scratch-db.js";
import { decodeQuotedPrintable, startSmtp, type TestSmtp } from "../smtp.js";

const DAY = 86_400_000;
const NEW_PASSWORD = "a sealed mail still carries a working link";

let scratch: PrismaScratchDatabase;
let db: PrismaClient;
let sql: pg.Client;
beforeAll(async () => {
  // A database of its own: this file's server sends over SMTP, and other files' workers (dev
  // mailbox) must not deliver its mail, nor its purge delete theirs.
  scratch = await scratchPrisma();
  db = scratch.db;
  sql = new pg.Client({ connectionString: scratch.url });
  await sql.connect();
});
afterAll(async () => {
  await sql?.end();
  await scratch?.drop();
});

/** Every OutboxMail row to `to`, each as PostgreSQL prints it (bytea as hex), by subject. */
async function rawRows(to: string): Promise<Map<string, { json: string; bodyEncBytes: number | null; status: string }>> {
  const { rows } = await sql.query<{ subject: string; json: string; n: number | null; status: string }>(
    `SELECT subject, row_to_json(o)::text AS json, octet_length("bodyEnc") AS n, status::text FROM "OutboxMail" o WHERE "to" = $1`,
    [to],
  );
  return new Map(rows.map((r) => [r.subject, { json: r.json, bodyEncBytes: r.n, status: r.status }]));
}

const RESET = "Reset your Tessera password";

describe("a password-reset mail at rest", () => {
  let smtp: TestSmtp;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startTestServer({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, TESSERA_WEB_URL: "https://web.tessera.test" }, scratch.url);
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it("is only ciphertext before delivery, erased after it, and the delivered link works", async () => {
    const auth = server.connect(AuthService);
    const email = uniqueEmail("sealed");
    await auth.register({ email, password: GOOD_PASSWORD });
    smtp.refusing = true;
    await auth.requestPasswordReset({ email });

    // The server's worker tried and was refused: the mail waits in the outbox.
    await expect.poll(async () => (await db.outboxMail.findFirst({ where: { to: email, subject: RESET } }))?.lastError ?? "", { timeout: 15_000 }).toMatch(/451/);
    const before = (await rawRows(email)).get(RESET)!;
    expect(before.status).toBe("QUEUED");
    expect(before.bodyEncBytes).toBeGreaterThan(200);
    for (const plain of ["token=", "reset-password", "Choose a new password", "web.tessera.test", "hopefully you"]) expect(before.json).not.toContain(plain);

    smtp.refusing = false;
    await expect.poll(async () => [...(await rawRows(email)).values()].map((r) => r.status), { timeout: 20_000 }).toEqual(["SENT", "SENT"]);
    const after = (await rawRows(email)).get(RESET)!;
    expect(after.bodyEncBytes).toBeNull();

    const mail = smtp.received.filter((m) => m.headers.get("subject") === RESET);
    expect(mail).toHaveLength(1);
    const token = /https:\/\/web\.tessera\.test\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(decodeQuotedPrintable(mail[0]!.raw))?.[1];
    expect(token).toBeDefined();
    const tokenHex = Buffer.from(token!).toString("hex");
    for (const row of [before, after]) {
      expect(row.json).not.toContain(token);
      expect(row.json).not.toContain(tokenHex);
    }

    await auth.resetPassword({ token: token!, newPassword: NEW_PASSWORD });
    expect((await auth.login({ email, password: NEW_PASSWORD })).user?.email).toBe(email);
  });
});

describe("retention", () => {
  beforeEach(async () => {
    await db.outboxMail.deleteMany();
    await db.devMail.deleteMany();
  });

  /** Rows queued `ageDays` ago in each state, and one dev-mailbox message of that age. */
  async function seed(ageDays: number): Promise<Record<string, string>> {
    const at = new Date(Date.now() - ageDays * DAY);
    const ids: Record<string, string> = {};
    for (const status of ["QUEUED", "SENT", "FAILED", "EXPIRED"] as const) {
      const row = await db.outboxMail.create({ data: { to: `${status.toLowerCase()}.${ageDays}@example.com`, subject: "s", status, queuedAt: at, createdAt: at } });
      ids[status] = row.id;
    }
    const dev = await db.devMail.create({ data: { outboxId: `dev-${ageDays}`, to: "dev@example.com", subject: "s", text: "t", html: "h", createdAt: at } });
    ids.DEV = dev.id;
    return ids;
  }

  it("deletes settled mail and development mail older than the retention, and keeps queued and recent mail", async () => {
    const old = await seed(31);
    const recent = await seed(29);

    expect(await purgeOldMail(db, new Date(), 30 * DAY)).toEqual({ outbox: 3, devMail: 1 });

    const left = new Set([...(await db.outboxMail.findMany({ select: { id: true } })), ...(await db.devMail.findMany({ select: { id: true } }))].map((r) => r.id));
    expect(left).toEqual(new Set([old.QUEUED, ...Object.values(recent)]));
  });

  it("runs in the service with TESSERA_MAIL_RETENTION_DAYS", async () => {
    const old = await seed(3);
    const recent = await seed(1);
    const purger = createMail(testConfig({ TESSERA_MAIL_RETENTION_DAYS: "2" }), db, memoryLogger().logger).startPurger();
    try {
      await expect.poll(() => db.outboxMail.count({ where: { id: old.SENT } }), { timeout: 10_000 }).toBe(0);
    } finally {
      await purger();
    }
    expect(await db.devMail.count({ where: { id: old.DEV } })).toBe(0);
    expect(await db.outboxMail.count({ where: { id: { in: Object.values(recent).filter((id) => id !== recent.DEV) } } })).toBe(4);
  });
});
