/**
 * The development mailbox over HTTP: GET /dev/mail lists delivered mail (how a newcomer reads
 * verification and reset mail with curl), GET /dev/mail/<id> shows one message's HTML, and
 * neither exists in production.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_MAIL_CSP, DEV_MAIL_LIMIT } from "../../src/http/dev-mailbox-routes.js";
import { enqueueMail } from "../../src/mail/outbox.js";
import { startApp, type App } from "../../src/server/app.js";
import type { ScratchDatabase } from "../global-setup.js";
import { memoryLogger, startTestServer, testConfig, uniqueEmail, type TestServer } from "../harness.js";
import { scratchDatabase } from "../scratch-db.js";

interface Listed {
  id: string;
  outboxId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: string;
}

async function list(baseUrl: string, query = ""): Promise<Listed[]> {
  const res = await fetch(`${baseUrl}/dev/mail${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/json");
  return ((await res.json()) as { messages: Listed[] }).messages;
}

describe("development mailbox (test env)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it("lists delivered mail for a recipient, newest first, and serves one message's HTML", async () => {
    const to = uniqueEmail("devmail");
    // The server's own worker delivers it (any worker on the shared database may; all of them
    // write to the dev mailbox in the test env).
    await server.app.db.$transaction(async (tx) => {
      await enqueueMail(tx, testConfig().keyEncryptionKey, { to, subject: "First", text: "first text", html: "<p>first</p>" });
    });
    await expect.poll(async () => (await list(server.baseUrl, `?to=${encodeURIComponent(to)}`)).length, { timeout: 15_000 }).toBe(1);
    await server.app.db.$transaction(async (tx) => {
      await enqueueMail(tx, testConfig().keyEncryptionKey, { to, subject: "Second", text: "second text", html: "<p>second <b>bold</b></p><script>alert(1)</script>" });
    });
    await expect.poll(async () => (await list(server.baseUrl, `?to=${encodeURIComponent(to)}`)).length, { timeout: 15_000 }).toBe(2);

    // `to` is matched case-insensitively (normalised to lower case).
    const messages = await list(server.baseUrl, `?to=${encodeURIComponent(`  ${to.toUpperCase()} `)}`);
    expect(messages.map((m) => m.subject)).toEqual(["Second", "First"]);
    expect(messages[1]).toMatchObject({ to, subject: "First", text: "first text", html: "<p>first</p>", id: expect.any(String), outboxId: expect.any(String) });
    expect(Date.parse(messages[0]!.createdAt)).toBeGreaterThanOrEqual(Date.parse(messages[1]!.createdAt));
    const outbox = await server.app.db.outboxMail.findMany({ where: { to } });
    expect(outbox.map((o) => o.id).sort()).toEqual(messages.map((m) => m.outboxId).sort());
    expect(outbox.every((o) => o.status === "SENT")).toBe(true);

    const all = await list(server.baseUrl);
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(DEV_MAIL_LIMIT);
    const times = all.map((m) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const html = await fetch(`${server.baseUrl}/dev/mail/${messages[0]!.id}`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toBe(DEV_MAIL_CSP);
    expect(html.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await html.text()).toBe("<p>second <b>bold</b></p><script>alert(1)</script>");
  });

  it("answers 404 for an unknown message and an empty list for an unknown recipient", async () => {
    const missing = await fetch(`${server.baseUrl}/dev/mail/00000000-0000-0000-0000-000000000000`);
    expect(missing.status).toBe(404);
    expect(await list(server.baseUrl, `?to=${encodeURIComponent(uniqueEmail("nobody"))}`)).toEqual([]);
  });
});

describe("development mailbox (production)", () => {
  let scratch: ScratchDatabase;
  let app: App;
  beforeAll(async () => {
    // A database of its own: this server's worker sends over SMTP and must not claim other tests' mail.
    scratch = await scratchDatabase();
    const config = testConfig({
      TESSERA_ENV: "production",
      DATABASE_URL: scratch.url,
      TESSERA_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      TESSERA_SERVICE_CREDENTIAL: randomBytes(32).toString("hex"),
      TESSERA_ISSUER: "https://auth.example.com",
      SMTP_URL: "smtp://127.0.0.1:9",
    });
    app = await startApp(config, scratch.url, memoryLogger().logger);
  });
  afterAll(async () => {
    await app?.stop();
    await scratch?.drop();
  });

  it("does not serve /dev/mail", async () => {
    const base = `http://127.0.0.1:${app.port}`;
    const res = await fetch(`${base}/dev/mail`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: "not_found" });
    expect((await fetch(`${base}/dev/mail/00000000-0000-0000-0000-000000000000`)).status).toBe(404);
  });
});
