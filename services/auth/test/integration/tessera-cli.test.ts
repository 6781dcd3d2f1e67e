/**
 * `npm run tessera -- <command>`: every command run in process (the function the script runs,
 * with its output captured), and one through `npm run tessera` as a child process. Each test
 * reads back what the command changed. A scratch database of this file's own, so admin counts
 * (never the last admin), keys and the outbox are this file's alone.
 */
import { spawn } from "node:child_process";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { Role } from "../../../../gen/tessera/user/v1/user_pb.js";
import { tesseraCli } from "../../src/cli/tessera-cli.js";
import { createPrisma, type PrismaClient } from "../../src/db/client.js";
import { enqueueMail } from "../../src/mail/outbox.js";
import { trySweepLock } from "../../src/retention/sweep-lock.js";
import { REPO_ROOT } from "../child.js";
import { GOOD_PASSWORD, startTestServer, testConfig, uniqueEmail, type TestServer } from "../harness.js";
import { scratchDatabase, scratchPrisma } from "../scratch-db.js";
import type { ScratchDatabase } from "../global-setup.js";
import { signIn, signUp } from "./user-fixtures.js";

let scratch: ScratchDatabase;
let server: TestServer;
let db: PrismaClient;

beforeAll(async () => {
  scratch = await scratchDatabase();
  server = await startTestServer({}, scratch.url);
  db = server.app.db;
});
afterAll(async () => {
  await server?.stop();
  await scratch?.drop();
});

interface Ran {
  code: number;
  out: string[];
  err: string[];
}

/** Runs the command line in process against the scratch database, with the service's environment (test mode). */
async function cli(args: string[], opts: { env?: Record<string, string>; now?: () => number; stdin?: string | null } = {}): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await tesseraCli(args, {
    env: { DATABASE_URL: scratch.url, TESSERA_ENV: "test", ...opts.env },
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    now: opts.now ?? Date.now,
    readStdin: async () => (opts.stdin === undefined ? null : opts.stdin),
  });
  return { code, out, err };
}

const roleOf = async (email: string) => (await db.user.findUniqueOrThrow({ where: { email }, select: { role: true } })).role;
const cliEvents = (userId: string, type: string) => db.auditEvent.findMany({ where: { userId, type }, orderBy: { createdAt: "asc" } });

describe("help and mistakes", () => {
  it("help lists every command on stdout and exits 0; no command prints it on stderr and exits 1", async () => {
    const help = await cli(["help"]);
    expect(help.code).toBe(0);
    const text = help.out.join("\n");
    for (const name of ["create-admin <email>", "grant-admin <email>", "revoke-admin <email>", "revoke-sessions <email>", "rotate-key [--immediately]", "list-keys", "outbox-status", "outbox-requeue [<mail id>]", "sweep", "help"])
      expect(text).toContain(`  ${name}`);
    const none = await cli([]);
    expect(none).toMatchObject({ code: 1, out: [] });
    expect(none.err[0]).toMatch(/^usage: npm run tessera -- <command>/);
  });

  it("refuses an unknown command, a bad argument and a missing DATABASE_URL with one line and exit 1", async () => {
    expect(await cli(["frobnicate"])).toEqual({ code: 1, out: [], err: ['error: unknown command "frobnicate"; npm run tessera -- help lists them'] });
    expect(await cli(["grant-admin"])).toEqual({ code: 1, out: [], err: ["usage: npm run tessera -- grant-admin <email>   (with DATABASE_URL set)"] });
    expect(await cli(["revoke-sessions", "not-an-email"])).toEqual({ code: 1, out: [], err: ['error: "not-an-email" is not a valid email address'] });
    expect(await cli(["rotate-key", "--now"])).toMatchObject({ code: 1, err: ["usage: npm run tessera -- rotate-key [--immediately]   (with DATABASE_URL set)"] });
    expect(await cli(["list-keys"], { env: { DATABASE_URL: "" } })).toMatchObject({ code: 1, err: [expect.stringContaining("DATABASE_URL is not set")] });
  });
});

describe("admins", () => {
  it("create-admin makes an account that signs in with the piped password as an admin, audited as tessera-cli", async () => {
    const email = uniqueEmail("first-admin");
    const done = await cli(["create-admin", email], { stdin: `${GOOD_PASSWORD}\n` });
    expect(done.err).toEqual([]);
    expect(done.code).toBe(0);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(done.out).toEqual([`created ${email} (user ${user.id}) as an admin; sign in with its password`]);
    expect(user.role).toBe("ADMIN");

    const me = await signIn(server, email);
    expect((await me.users.getMe({})).user?.role).toBe(Role.ADMIN);
    const events = await db.auditEvent.findMany({ where: { userId: user.id, type: { in: ["USER_REGISTERED", "ROLE_CHANGED"] } }, orderBy: { createdAt: "asc" } });
    expect(events.map((e) => [e.type, e.userAgent, e.actorUserId])).toEqual([
      ["USER_REGISTERED", "tessera-cli", null],
      ["ROLE_CHANGED", "tessera-cli", null],
    ]);
    expect(events[1]!.data).toEqual({ from: "USER", to: "ADMIN", via: "tessera-cli" });

    // TESSERA_ADMIN_PASSWORD wins over stdin; a taken address changes nothing.
    const again = await cli(["create-admin", email.toUpperCase()], { env: { TESSERA_ADMIN_PASSWORD: GOOD_PASSWORD } });
    expect(again).toEqual({ code: 1, out: [], err: [`error: an account already has the email ${email}; use grant-admin to make it an admin`] });
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("create-admin refuses without a password, or with one the policy refuses, and creates nothing", async () => {
    const email = uniqueEmail("no-password");
    expect(await cli(["create-admin", email])).toEqual({ code: 1, out: [], err: ["error: no password: set TESSERA_ADMIN_PASSWORD or pipe the password on standard input"] });
    expect(await cli(["create-admin", email], { stdin: "short\n" })).toEqual({ code: 1, out: [], err: ["error: password must be at least 8 characters"] });
    expect(await cli(["create-admin", email], { env: { TESSERA_ADMIN_PASSWORD: "password123" } })).toMatchObject({ code: 1, err: [expect.stringContaining("too common")] });
    expect(await db.user.count({ where: { email } })).toBe(0);
  });

  it("grant-admin and revoke-admin change the role (audited), say when nothing changed, and never remove the last admin", async () => {
    const a = await signUp(server, { tag: "grant-a" });
    const b = await signUp(server, { tag: "grant-b" });
    // Only this file's accounts live here: make a and b the only admins.
    await db.user.updateMany({ where: { role: "ADMIN", id: { notIn: [a.userId, b.userId] } }, data: { role: "USER" } });

    expect(await cli(["grant-admin", a.email])).toEqual({ code: 0, out: [`${a.email} (user ${a.userId}) is now an admin (was USER)`], err: [] });
    expect(await cli(["grant-admin", a.email])).toEqual({ code: 0, out: [`${a.email} (user ${a.userId}) is already an admin`], err: [] });
    expect(await cli(["grant-admin", b.email])).toMatchObject({ code: 0 });
    expect((await a.users.getMe({})).user?.role).toBe(Role.ADMIN);

    expect(await cli(["revoke-admin", b.email])).toEqual({ code: 0, out: [`${b.email} (user ${b.userId}) is no longer an admin (now USER); it applies to their next request`], err: [] });
    expect(await roleOf(b.email)).toBe("USER");
    expect((await b.users.getMe({})).user?.role).toBe(Role.USER);
    expect(await cli(["revoke-admin", b.email])).toEqual({ code: 0, out: [`${b.email} (user ${b.userId}) is not an admin; nothing to do`], err: [] });

    expect(await cli(["revoke-admin", a.email])).toEqual({ code: 1, out: [], err: [`error: ${a.email} (user ${a.userId}) is the last admin; grant another account the role first`] });
    expect(await roleOf(a.email)).toBe("ADMIN");

    const missing = uniqueEmail("nobody");
    expect(await cli(["grant-admin", missing])).toMatchObject({ code: 1, err: [`error: no account has the email ${missing}; register it first (or use create-admin), then run this again`] });
    expect(await cli(["revoke-admin", missing])).toMatchObject({ code: 1, err: [`error: no account has the email ${missing}`] });

    const changes = (await cliEvents(b.userId, "ROLE_CHANGED")).map((e) => ({ ...(e.data as object), userAgent: e.userAgent, actor: e.actorUserId }));
    expect(changes).toEqual([
      { from: "USER", to: "ADMIN", via: "tessera-cli", userAgent: "tessera-cli", actor: null },
      { from: "ADMIN", to: "USER", via: "tessera-cli", userAgent: "tessera-cli", actor: null },
    ]);
  });
});

describe("sessions", () => {
  it("revoke-sessions ends every live session of the account with SESSION_REVOKED each; their refresh tokens are refused", async () => {
    const first = await signUp(server, { tag: "revoked" });
    const second = await signIn(server, first.email);
    const bystander = await signUp(server, { tag: "bystander" });

    const done = await cli(["revoke-sessions", first.email]);
    expect(done).toEqual({
      code: 0,
      out: [`ended 2 sessions of ${first.email} (user ${first.userId})`, "access tokens already issued stay valid at JWKS verifiers until they expire (TESSERA_ACCESS_TOKEN_TTL)"],
      err: [],
    });
    const sessions = await db.session.findMany({ where: { userId: first.userId } });
    expect(sessions.map((s) => [s.revokedAt !== null, s.revokeReason])).toEqual([
      [true, "revoked_by_admin"],
      [true, "revoked_by_admin"],
    ]);
    const events = await cliEvents(first.userId, "SESSION_REVOKED");
    expect(events.map((e) => [e.sessionId, e.userAgent, e.actorUserId, e.data]).sort()).toEqual(
      [first.sessionId, second.sessionId].sort().map((id) => [id, "tessera-cli", null, { reason: "revoked_by_admin" }]),
    );
    for (const s of [first, second]) {
      const refused = await server.connect(AuthService).refresh({ refreshToken: s.refreshToken }).catch((e: unknown) => ConnectError.from(e));
      expect(refused).toMatchObject({ code: Code.Unauthenticated });
    }
    // The service checks the session per call, so the same access token is refused there at once.
    await expect(first.users.getMe({})).rejects.toMatchObject({ code: Code.Unauthenticated });
    expect((await bystander.users.getMe({})).user?.id).toBe(bystander.userId);

    expect((await cli(["revoke-sessions", first.email])).out).toEqual([`ended 0 sessions of ${first.email} (user ${first.userId})`]);
  });
});

describe("signing keys", () => {
  const T0 = Date.parse("2040-01-01T00:00:00Z");
  const LEAD_MS = 3600_000; // min(3600 s, half of the default 30-day rotation)
  const KEEP_MS = (900 + 60) * 1000; // a token lifetime (default TTL) plus the clock skew allowed

  it("rotate-key publishes a successor that signs after the lead time, list-keys shows each key's state and window, --immediately signs at once", async () => {
    // A database of its own: this test moves its clock years ahead, which would retire the
    // running server's keys.
    const keysDb = await scratchDatabase();
    const keyDb = createPrisma(keysDb.url, { poolSize: 1 });
    let t = T0;
    const run = (args: string[]) => cli(args, { env: { DATABASE_URL: keysDb.url }, now: () => t });
    try {
      expect(await run(["list-keys"])).toEqual({ code: 0, out: ["no signing keys yet: the auth service creates the first one when it starts (or run rotate-key)"], err: [] });

      // An empty table: the first key signs at once, nobody can have cached a JWKS.
      const first = await run(["rotate-key"]);
      expect(first.code).toBe(0);
      const [k1] = await keyDb.signingKey.findMany();
      expect(first.out[0]).toBe(`added key ${k1!.kid}: it signs from now (2040-01-01T00:00:00.000Z); running replicas switch to it within a minute`);

      const second = await run(["rotate-key"]);
      const k2 = (await keyDb.signingKey.findMany({ orderBy: { activatesAt: "desc" } }))[0]!;
      expect(k2.activatesAt.getTime()).toBe(T0 + LEAD_MS);
      expect(second.out).toEqual([
        `added key ${k2.kid}: published now, it starts signing at 2040-01-01T01:00:00.000Z (in 3600 s)`,
        `${"kid".padEnd(36)}  state     activates at              published until`,
        `${k2.kid}  upcoming  2040-01-01T01:00:00.000Z  open (newest key: until a successor has signed for a token lifetime)`,
        `${k1!.kid}  active    2040-01-01T00:00:00.000Z  2040-01-01T01:16:00.000Z`,
      ]);

      // A successor already waits: none is added.
      const third = await run(["rotate-key"]);
      expect(third.out[0]).toBe(`key ${k2.kid} is already published and starts signing at 2040-01-01T01:00:00.000Z (in 3600 s); no key added (--immediately adds one that signs now)`);
      expect(await keyDb.signingKey.count()).toBe(2);

      t = T0 + LEAD_MS;
      expect((await run(["list-keys"])).out.slice(1)).toEqual([
        `${k2.kid}  active    2040-01-01T01:00:00.000Z  open (newest key: until a successor has signed for a token lifetime)`,
        `${k1!.kid}  retired   2040-01-01T00:00:00.000Z  2040-01-01T01:16:00.000Z`,
      ]);

      t = T0 + LEAD_MS + 60_000;
      const now = await run(["rotate-key", "--immediately"]);
      const k3 = (await keyDb.signingKey.findMany({ orderBy: { activatesAt: "desc" } }))[0]!;
      expect(k3.activatesAt.getTime()).toBe(t);
      expect(now.out.slice(0, 2)).toEqual([
        `added key ${k3.kid}: it signs from now (2040-01-01T01:01:00.000Z); running replicas switch to it within a minute`,
        "verifiers whose cached JWKS predates it refuse its tokens until they fetch the JWKS again",
      ]);
      expect(now.out.slice(3).map((l) => l.split(/\s{2,}/).slice(0, 2))).toEqual([
        [k3.kid, "active"],
        [k2.kid, "retired"],
        [k1!.kid, "retired"],
      ]);

      // A token lifetime after k2 and then k3 took over, k1 and k2 signed no live token: they
      // leave the JWKS, and the next rotation (the timer's, or this one) deletes them.
      t = T0 + LEAD_MS + 60_000 + KEEP_MS;
      expect((await run(["list-keys"])).out.slice(2)).toEqual([
        `${k2.kid}  retired   2040-01-01T01:00:00.000Z  2040-01-01T01:17:00.000Z (withdrawn; deleted at the next rotation check)`,
        `${k1!.kid}  retired   2040-01-01T00:00:00.000Z  2040-01-01T01:16:00.000Z (withdrawn; deleted at the next rotation check)`,
      ]);
      expect((await run(["rotate-key"])).code).toBe(0);
      const left = await keyDb.signingKey.findMany({ orderBy: { activatesAt: "desc" } });
      expect(left.map((k) => k.kid)).toEqual([expect.any(String), k3.kid]);
      expect(left[0]!.activatesAt.getTime()).toBe(t + LEAD_MS);
    } finally {
      await keyDb.$disconnect();
      await keysDb.drop();
    }
  });

  it("rotate-key refuses to run without a valid service configuration", async () => {
    const done = await cli(["rotate-key"], { env: { TESSERA_ENV: "production" } });
    expect(done.code).toBe(1);
    expect(done.err).toHaveLength(1);
    expect(done.err[0]).toMatch(/^error: run this with the service's environment: .*TESSERA_KEY_ENCRYPTION_KEY: the development key is refused in production/);
  });
});

describe("the outbox", () => {
  it("outbox-status counts and lists errors without bodies; outbox-requeue puts FAILED mail back in the queue", async () => {
    // A database no worker polls, so the requeued mail stays QUEUED for the test to read.
    const mailDb = await scratchPrisma();
    const run = (args: string[]) => cli(args, { env: { DATABASE_URL: mailDb.url } });
    try {
      const kek = testConfig().keyEncryptionKey;
      const queue = (to: string) => mailDb.db.$transaction((tx) => enqueueMail(tx, kek, { to, subject: "Notice", text: "secret body", html: "<p>secret body</p>" }));
      const failed = [await queue(uniqueEmail("failed-1")), await queue(uniqueEmail("failed-2"))];
      const waiting = await queue(uniqueEmail("waiting"));
      await mailDb.db.outboxMail.updateMany({ where: { id: { in: failed } }, data: { status: "FAILED", attempts: 7, lastError: "451 4.3.0 try again later" } });

      const status = await run(["outbox-status"]);
      expect(status.code).toBe(0);
      expect(status.out[0]).toBe("queued 1, sent 0, failed 2, expired 0");
      expect(status.out[1]).toMatch(/^oldest queued mail waits for \d+ s \(since \S+\)$/);
      expect(status.out.slice(2).sort()).toEqual(failed.sort().map((id) => expect.stringMatching(new RegExp(`^${id} FAILED to \\S+, 7 attempts: 451 4\\.3\\.0 try again later$`))));
      expect(status.out.join("\n")).not.toContain("secret body");

      const one = await run(["outbox-requeue", failed[0]!]);
      expect(one).toMatchObject({ code: 0, out: [expect.stringMatching(new RegExp(`^requeued ${failed[0]} \\(to `))], err: [] });
      const rest = await run(["outbox-requeue"]);
      expect(rest).toMatchObject({ code: 0, out: [expect.stringMatching(new RegExp(`^requeued ${failed[1]} `)), "requeued 1 of 1 FAILED mail"], err: [] });
      for (const row of await mailDb.db.outboxMail.findMany({ where: { id: { in: failed } } })) {
        expect(row).toMatchObject({ status: "QUEUED", attempts: 0, lastError: null, bodyEnc: expect.any(Uint8Array) });
      }
      expect((await run(["outbox-status"])).out[0]).toBe("queued 3, sent 0, failed 0, expired 0");

      expect(await run(["outbox-requeue", waiting])).toEqual({ code: 1, out: [], err: [`refused ${waiting}: it is QUEUED already`] });
      expect(await run(["outbox-requeue"])).toEqual({ code: 0, out: ["no FAILED mail to requeue", "requeued 0 of 0 FAILED mail"], err: [] });
      expect(await run(["outbox-requeue", "--all"])).toMatchObject({ code: 1, err: ["usage: npm run tessera -- outbox-requeue [<mail id>]   (with DATABASE_URL set)"] });
    } finally {
      await mailDb.drop();
    }
  });
});

describe("retention", () => {
  it("sweep deletes what the retention rules allow, prints the count per kind, and exits 1 while another sweep holds the lock", async () => {
    const DAY = 86_400_000;
    const user = await signUp(server, { tag: "sweep" });
    const old = await db.session.create({ data: { userId: user.userId, expires: new Date(Date.now() - 40 * DAY), revokedAt: new Date(Date.now() - 40 * DAY) } });
    const ancient = await db.auditEvent.create({ data: { type: "SIGN_IN_FAILED", userId: user.userId, createdAt: new Date(Date.now() - 800 * DAY) } });

    const held = await trySweepLock(scratch.url);
    try {
      expect(await cli(["sweep"])).toEqual({ code: 1, out: [], err: ["error: another sweep is running (a replica holds the sweep lock); nothing was deleted, try again later"] });
    } finally {
      await held?.();
    }
    expect(await db.session.count({ where: { id: old.id } })).toBe(1);

    const done = await cli(["sweep"], { env: { RETENTION_BATCH: "500" } });
    expect(done.err).toEqual([]);
    expect(done.code).toBe(0);
    const counts: Record<string, number> = Object.fromEntries(done.out.slice(0, -1).map((l) => l.trim().split(/\s+/)).map(([kind, n]) => [kind, Number(n)]));
    expect(Object.keys(counts)).toEqual(expect.arrayContaining(["sessions", "refreshTokens", "sentMail", "auditEvents", "throttleWindows"]));
    expect(counts.sessions).toBeGreaterThanOrEqual(1);
    expect(counts.auditEvents).toBeGreaterThanOrEqual(1);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(done.out.at(-1)).toMatch(new RegExp(`^deleted ${total} rows? in \\d+ statements of at most 500 rows$`));
    expect(await db.session.count({ where: { id: old.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { id: ancient.id } })).toBe(0);
    // The user's live session is kept.
    expect(await db.session.count({ where: { id: user.sessionId, revokedAt: null } })).toBe(1);
  });
});

describe("npm run tessera", () => {
  // npm and tsx start-ups on a loaded machine.
  it("runs as a script: create-admin reads the password piped on stdin and exits 0", { timeout: 60_000 }, async () => {
    const email = uniqueEmail("npm-admin");
    const done = await npmTessera(["create-admin", email], `${GOOD_PASSWORD}\n`);
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    const user = await db.user.findUniqueOrThrow({ where: { email } });
    expect(done.stdout.trim()).toBe(`created ${email} (user ${user.id}) as an admin; sign in with its password`);
    expect(user.role).toBe("ADMIN");

    const wrong = await npmTessera(["revoke-sessions"], "");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim()).toBe("usage: npm run tessera -- revoke-sessions <email>   (with DATABASE_URL set)");
  });
});

/** `npm run -s tessera -- <args>` in the repository, with `stdin` piped in. */
function npmTessera(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "-s", "tessera", "--", ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATABASE_URL: scratch.url, TESSERA_ENV: "test" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 50_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}
