/**
 * One-time tokens must not be readable from the database, not even in queued mail. A password-reset
 * mail is queued through the real server while a real SMTP server refuses it, so the row can
 * be read (with plain SQL, as an attacker with read access would) before and after delivery;
 * the delivered link must still work. (Settled mail is deleted by the retention sweeper:
 * test/integration/retention.test.ts.)
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { PrismaClient } from "../../src/db/client.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { scratchPrisma, type PrismaScratchDatabase } from "../scratch-db.js";
import { decodeQuotedPrintable, startSmtp, type TestSmtp } from "../smtp.js";

const NEW_PASSWORD = "a sealed mail still carries a working link";

let scratch: PrismaScratchDatabase;
let db: PrismaClient;
let sql: pg.Client;
beforeAll(async () => {
  // A database of its own: this file's server sends over SMTP, and other files' workers (dev
  // mailbox) must not deliver its mail.
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
