/**
 * The retention sweeper on a database of its own (a sweep deletes every old row it finds, so it
 * must never see another suite's rows): rows of each kind on both sides of each threshold, then
 * which rows remain; batches smaller than the work; one sweeper at a time; the schedule inside
 * the service, stopped with it; and a live user's session surviving every sweep.
 */
import { randomBytes } from "node:crypto";
import { Code } from "@connectrpc/connect";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { PrismaClient } from "../../src/db/client.js";
import { Prisma } from "../../src/db/generated/client.js";
import { RETENTION_RULES, deleteStatement, type RetentionKind } from "../../src/retention/retention-rules.js";
import { SWEEP_LOCK_KEY } from "../../src/retention/sweep-lock.js";
import { startRetentionSweeper } from "../../src/retention/sweep-schedule.js";
import { runSweepOnce, type SweepCounts } from "../../src/retention/sweeper.js";
import { GOOD_PASSWORD, memoryLogger, startTestServer, uniqueEmail } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { scratchPrisma, type PrismaScratchDatabase } from "../scratch-db.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let scratch: PrismaScratchDatabase;
let db: PrismaClient;
beforeAll(async () => {
  scratch = await scratchPrisma();
  db = scratch.db;
});
afterAll(() => scratch?.drop());

/** Empties every table the sweeper touches (and users), so each test counts only its own rows. */
async function truncate(): Promise<void> {
  await db.$executeRawUnsafe(
    `TRUNCATE "User", "Session", "RefreshToken", "OneTimeToken", "VerificationToken", "SignInChallenge", "WebAuthnChallenge",
      "StepUpGrant", "OutboxMail", "DevMail", "RateLimitBucket", "AuditEvent" CASCADE`,
  );
}
beforeEach(truncate);

const zero = (): SweepCounts => Object.fromEntries(RETENTION_RULES.map((r) => [r.kind, 0])) as SweepCounts;
const counts = (some: Partial<Record<RetentionKind, number>>): SweepCounts => ({ ...zero(), ...some });
const ago = (now: Date, ms: number) => new Date(now.getTime() - ms);
const hash = () => randomBytes(32);

async function newUser(): Promise<string> {
  return (await db.user.create({ data: { email: uniqueEmail("retention") } })).id;
}

/**
 * A session with `tokens` refresh tokens (all but the last one used, as after rotations), written
 * in one statement so that a running sweeper never sees the session without its tokens.
 */
async function session(userId: string, data: { expires: Date; revokedAt?: Date; sessionToken?: string }, tokens = 2): Promise<{ id: string; tokenIds: string[] }> {
  const create = Array.from({ length: tokens }, (_, i) => ({ tokenHash: hash(), usedAt: i < tokens - 1 ? new Date() : null }));
  const s = await db.session.create({ data: { userId, ...data, refreshTokens: { create } }, include: { refreshTokens: { select: { id: true } } } });
  return { id: s.id, tokenIds: s.refreshTokens.map((t) => t.id) };
}

/** Ids left in each table the sweeper touches. */
async function remaining() {
  const ids = (rows: { id: string }[]) => new Set(rows.map((r) => r.id));
  const select = { select: { id: true } } as const;
  return {
    sessions: ids(await db.session.findMany(select)),
    refreshTokens: ids(await db.refreshToken.findMany(select)),
    oneTimeTokens: ids(await db.oneTimeToken.findMany(select)),
    verificationTokens: new Set((await db.verificationToken.findMany()).map((r) => r.token)),
    signInChallenges: ids(await db.signInChallenge.findMany(select)),
    webAuthnChallenges: ids(await db.webAuthnChallenge.findMany(select)),
    stepUpGrants: ids(await db.stepUpGrant.findMany(select)),
    sentMail: ids(await db.outboxMail.findMany(select)),
    devMail: ids(await db.devMail.findMany(select)),
    throttleWindows: new Set((await db.rateLimitBucket.findMany()).map((r) => r.key)),
    auditEvents: ids(await db.auditEvent.findMany(select)),
  };
}

describe("runSweepOnce", () => {
  it("deletes each kind past its threshold and keeps the rows on the other side", async () => {
    const now = new Date();
    const userId = await newUser();

    // Sessions: kept while live, and for 30 days after they expired or were revoked.
    const live = await session(userId, { expires: new Date(now.getTime() + 20 * DAY) }, 4);
    const expiredRecently = await session(userId, { expires: ago(now, 29 * DAY) });
    const expiredLongAgo = await session(userId, { expires: ago(now, 31 * DAY) }, 3);
    const revokedRecently = await session(userId, { expires: new Date(now.getTime() + DAY), revokedAt: ago(now, 29 * DAY) });
    const revokedLongAgo = await session(userId, { expires: new Date(now.getTime() + DAY), revokedAt: ago(now, 31 * DAY) });
    // next-auth database sessions live in the same table and follow the same rule.
    const adapterLive = await session(userId, { expires: new Date(now.getTime() + DAY), sessionToken: "live" }, 0);
    const adapterRecent = await session(userId, { expires: ago(now, 29 * DAY), sessionToken: "recent" }, 0);
    const adapterOld = await session(userId, { expires: ago(now, 31 * DAY), sessionToken: "old" }, 0);

    // Single-use rows: kept until a day past their expiry.
    const oneTime = async (expiresAt: Date, usedAt: Date | null = null) =>
      (await db.oneTimeToken.create({ data: { tokenHash: hash(), purpose: "PASSWORD_RESET", userId, email: "a@example.com", expiresAt, usedAt } })).id;
    const ottLive = await oneTime(new Date(now.getTime() + HOUR));
    const ottUsedLive = await oneTime(new Date(now.getTime() + 23 * HOUR), ago(now, HOUR));
    const ottInGrace = await oneTime(ago(now, 23 * HOUR));
    const ottOld = await oneTime(ago(now, 25 * HOUR), ago(now, 26 * HOUR));
    const verification = async (token: string, expires: Date) => (await db.verificationToken.create({ data: { identifier: "a@example.com", token, expires } })).token;
    const vtLive = await verification("vt-live", new Date(now.getTime() + HOUR));
    const vtInGrace = await verification("vt-grace", ago(now, 23 * HOUR));
    await verification("vt-old", ago(now, 25 * HOUR));
    const challenge = async (expiresAt: Date) => (await db.signInChallenge.create({ data: { tokenHash: hash(), userId, firstFactor: "password", expiresAt } })).id;
    const chLive = await challenge(new Date(now.getTime() + 5 * 60_000));
    const chInGrace = await challenge(ago(now, 23 * HOUR));
    await challenge(ago(now, 25 * HOUR));
    const webauthn = async (expiresAt: Date) => (await db.webAuthnChallenge.create({ data: { challengeHash: hash(), purpose: "sign_in", expiresAt } })).id;
    const waLive = await webauthn(new Date(now.getTime() + 5 * 60_000));
    const waInGrace = await webauthn(ago(now, 23 * HOUR));
    await webauthn(ago(now, 25 * HOUR));
    const grant = async (expiresAt: Date) => (await db.stepUpGrant.create({ data: { tokenHash: hash(), userId, sessionId: live.id, expiresAt } })).id;
    const grLive = await grant(new Date(now.getTime() + 5 * 60_000));
    const grInGrace = await grant(ago(now, 23 * HOUR));
    await grant(ago(now, 25 * HOUR));

    // Mail: settled mail for 30 days after it was queued, queued mail for ever; the dev mailbox for 7 days.
    const mail = async (status: "QUEUED" | "SENT" | "EXPIRED" | "FAILED", queuedAt: Date) =>
      (await db.outboxMail.create({ data: { to: "a@example.com", subject: "s", status, queuedAt } })).id;
    const queuedOld = await mail("QUEUED", ago(now, 90 * DAY));
    const sentRecent = await mail("SENT", ago(now, 29 * DAY));
    const failedRecent = await mail("FAILED", ago(now, 29 * DAY));
    for (const status of ["SENT", "EXPIRED", "FAILED"] as const) await mail(status, ago(now, 31 * DAY));
    const dev = async (createdAt: Date) => (await db.devMail.create({ data: { outboxId: randomBytes(8).toString("hex"), to: "a@example.com", subject: "s", text: "t", html: "h", createdAt } })).id;
    const devRecent = await dev(ago(now, 6 * DAY));
    await dev(ago(now, 8 * DAY));

    // Throttle windows: by the database clock, deleted once ended.
    await db.$executeRaw`INSERT INTO "RateLimitBucket" ("key", "windowStart", "windowEnd", "count") VALUES
      ('ended', now() - interval '2 hours', now() - interval '1 hour', 7),
      ('current', now() - interval '1 minute', now() + interval '10 minutes', 3)`;

    // Audit events: 730 days.
    const audit = async (createdAt: Date) => (await db.auditEvent.create({ data: { type: "auth.login", userId, createdAt } })).id;
    const auditRecent = await audit(ago(now, 729 * DAY));
    await audit(ago(now, 731 * DAY));

    const result = await runSweepOnce(db, { databaseUrl: scratch.url, now });

    expect(result).toEqual({
      ran: true,
      aborted: false,
      statements: RETENTION_RULES.length,
      counts: counts({
        refreshTokens: 3 + 2,
        sessions: 3,
        oneTimeTokens: 1,
        verificationTokens: 1,
        signInChallenges: 1,
        webAuthnChallenges: 1,
        stepUpGrants: 1,
        sentMail: 3,
        devMail: 1,
        throttleWindows: 1,
        auditEvents: 1,
      }),
    });
    const left = await remaining();
    expect(left.sessions).toEqual(new Set([live.id, expiredRecently.id, revokedRecently.id, adapterLive.id, adapterRecent.id]));
    expect(left.sessions).not.toContain(expiredLongAgo.id);
    expect(left.sessions).not.toContain(revokedLongAgo.id);
    expect(left.sessions).not.toContain(adapterOld.id);
    // Every refresh token of a kept session stays, used ones too (they are how reuse is detected).
    expect(left.refreshTokens).toEqual(new Set([...live.tokenIds, ...expiredRecently.tokenIds, ...revokedRecently.tokenIds]));
    expect(left.oneTimeTokens).toEqual(new Set([ottLive, ottUsedLive, ottInGrace]));
    expect(left.verificationTokens).toEqual(new Set([vtLive, vtInGrace]));
    expect(left.signInChallenges).toEqual(new Set([chLive, chInGrace]));
    expect(left.webAuthnChallenges).toEqual(new Set([waLive, waInGrace]));
    expect(left.stepUpGrants).toEqual(new Set([grLive, grInGrace]));
    expect(left.sentMail).toEqual(new Set([queuedOld, sentRecent, failedRecent]));
    expect(left.devMail).toEqual(new Set([devRecent]));
    expect(left.throttleWindows).toEqual(new Set(["current"]));
    expect(left.auditEvents).toEqual(new Set([auditRecent]));

    // A second sweep finds nothing more to do.
    expect(await runSweepOnce(db, { databaseUrl: scratch.url, now })).toMatchObject({ ran: true, counts: zero() });
  });

  it("follows the configured periods", async () => {
    const now = new Date();
    const userId = await newUser();
    const kept = await session(userId, { expires: ago(now, 6 * DAY) }, 1);
    await session(userId, { expires: ago(now, 8 * DAY) }, 1);
    const keptMail = (await db.outboxMail.create({ data: { to: "a@example.com", subject: "s", status: "SENT", queuedAt: ago(now, 2 * DAY) } })).id;
    await db.outboxMail.create({ data: { to: "a@example.com", subject: "s", status: "SENT", queuedAt: ago(now, 4 * DAY) } });
    const keptAudit = (await db.auditEvent.create({ data: { type: "auth.login", createdAt: ago(now, 9 * DAY) } })).id;
    await db.auditEvent.create({ data: { type: "auth.login", createdAt: ago(now, 11 * DAY) } });

    const result = await runSweepOnce(db, { databaseUrl: scratch.url, now, sessionDays: 7, sentMailDays: 3, auditDays: 10 });

    expect(result).toMatchObject({ ran: true, counts: counts({ sessions: 1, refreshTokens: 1, sentMail: 1, auditEvents: 1 }) });
    const left = await remaining();
    expect(left.sessions).toEqual(new Set([kept.id]));
    expect(left.refreshTokens).toEqual(new Set(kept.tokenIds));
    expect(left.sentMail).toEqual(new Set([keptMail]));
    expect(left.auditEvents).toEqual(new Set([keptAudit]));
  });

  it("deletes everything in several statements when a batch is smaller than the work", async () => {
    const now = new Date();
    const userId = await newUser();
    for (let i = 0; i < 7; i++) await session(userId, { expires: ago(now, 40 * DAY) }, 3);
    await db.auditEvent.createMany({ data: Array.from({ length: 25 }, () => ({ type: "auth.login", createdAt: ago(now, 800 * DAY) })) });
    const kept = await db.auditEvent.create({ data: { type: "auth.login", createdAt: now } });

    const result = await runSweepOnce(db, { databaseUrl: scratch.url, now, batchSize: 4 });

    // Statements per kind: one per full batch of 4, plus the one that deleted fewer.
    const perKind = (n: number) => Math.floor(n / 4) + 1;
    expect(result).toEqual({
      ran: true,
      aborted: false,
      counts: counts({ refreshTokens: 21, sessions: 7, auditEvents: 25 }),
      statements: perKind(21) + perKind(7) + perKind(25) + (RETENTION_RULES.length - 3),
    });
    expect(await db.session.count()).toBe(0);
    expect(await db.refreshToken.count()).toBe(0);
    expect(await db.auditEvent.findMany({ select: { id: true } })).toEqual([{ id: kept.id }]);
  });

  it("runs one sweeper at a time: while another holds the lock, a sweep skips and deletes nothing", async () => {
    const now = new Date();
    await db.auditEvent.create({ data: { type: "auth.login", createdAt: ago(now, 800 * DAY) } });

    // Another replica mid-sweep: the lock held by a session of its own.
    const other = new pg.Client({ connectionString: scratch.url });
    await other.connect();
    try {
      expect((await other.query("SELECT pg_try_advisory_lock($1::bigint) AS locked", [SWEEP_LOCK_KEY])).rows[0].locked).toBe(true);
      expect(await runSweepOnce(db, { databaseUrl: scratch.url, now })).toEqual({ ran: false, reason: "another sweep is running" });
      expect(await db.auditEvent.count()).toBe(1);
    } finally {
      await other.end();
    }
    // Its session ended: the lock is free again, and the next sweep does the work.
    expect(await runSweepOnce(db, { databaseUrl: scratch.url, now })).toMatchObject({ ran: true, counts: counts({ auditEvents: 1 }) });
    expect(await db.auditEvent.count()).toBe(0);
  });

  it("of two sweeps started together, one does all the work and the other reports that it skipped", async () => {
    const now = new Date();
    await db.auditEvent.createMany({ data: Array.from({ length: 400 }, () => ({ type: "auth.login", createdAt: ago(now, 800 * DAY) })) });

    // Small batches make the winner's sweep last long enough (40+ statements) for the other to arrive.
    const results = await Promise.all([1, 2].map(() => runSweepOnce(db, { databaseUrl: scratch.url, now, batchSize: 10 })));

    expect(results.filter((r) => r.ran)).toEqual([expect.objectContaining({ counts: counts({ auditEvents: 400 }) })]);
    expect(results.filter((r) => !r.ran)).toEqual([{ ran: false, reason: "another sweep is running" }]);
    expect(await db.auditEvent.count()).toBe(0);
    // The lock went with the winner's connection.
    expect(await db.$queryRaw`SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`).toEqual([{ n: 0 }]);
  });

  it("finds every batch's rows through an index", async () => {
    const plans: Record<string, string> = {};
    for (const rule of RETENTION_RULES) {
      const rows = await db.$transaction(async (tx) => {
        // Empty tables would be read whole anyway; forbidding sequential scans shows an index serves.
        await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
        return tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${deleteStatement(rule, { now: new Date(), sessionDays: 30, sentMailDays: 30, auditDays: 730 }, 1000)}`);
      });
      plans[rule.kind] = rows.map((r) => r["QUERY PLAN"]).join("\n");
    }
    if (process.env.RETENTION_PRINT_PLANS) console.log(Object.entries(plans).map(([k, p]) => `## ${k}\n${p}`).join("\n\n"));
    const indexes: Record<RetentionKind, string[]> = {
      refreshTokens: ["Session_expires_idx", "Session_revokedAt_idx", "RefreshToken_sessionId_idx"],
      sessions: ["Session_expires_idx", "Session_revokedAt_idx"],
      oneTimeTokens: ["OneTimeToken_expiresAt_idx"],
      verificationTokens: ["VerificationToken_expires_idx"],
      signInChallenges: ["SignInChallenge_expiresAt_idx"],
      webAuthnChallenges: ["WebAuthnChallenge_expiresAt_idx"],
      stepUpGrants: ["StepUpGrant_expiresAt_idx"],
      sentMail: ["OutboxMail_status_queuedAt_idx"],
      devMail: ["DevMail_createdAt_idx"],
      throttleWindows: ["RateLimitBucket_windowEnd_idx"],
      auditEvents: ["AuditEvent_createdAt_idx"],
    };
    const keys: Record<string, string> = { verificationTokens: "VerificationToken_token_key", throttleWindows: "RateLimitBucket_pkey" };
    for (const [kind, names] of Object.entries(indexes)) {
      // Rows are found through the rule's indexes, then deleted by key.
      const table = RETENTION_RULES.find((r) => r.kind === kind)!.table;
      for (const name of [...names, keys[kind] ?? `${table}_pkey`]) expect(plans[kind], `${kind}:\n${plans[kind]}`).toContain(name);
      expect(plans[kind], `${kind}:\n${plans[kind]}`).not.toMatch(/Seq Scan/);
    }
  });
});

describe("the sweep schedule", () => {
  it("sweeps at once and then every interval, logs the counts, and stops", async () => {
    const { logger, lines } = memoryLogger();
    const old = () => db.auditEvent.create({ data: { type: "auth.login", createdAt: ago(new Date(), 800 * DAY) } });
    await old();
    const stop = startRetentionSweeper(db, logger, { databaseUrl: scratch.url }, 200);
    try {
      await expect.poll(() => db.auditEvent.count(), { timeout: 5_000 }).toBe(0);
      await old(); // swept by a later run, not the first
      await expect.poll(() => db.auditEvent.count(), { timeout: 5_000 }).toBe(0);
    } finally {
      await stop();
    }
    const done = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "retention sweep done");
    expect(done.length).toBeGreaterThanOrEqual(2);
    expect(done[0].deleted).toEqual(counts({ auditEvents: 1 }));

    // Stopped: nothing is deleted any more, and its lock connection is gone.
    await old();
    await new Promise((r) => setTimeout(r, 600));
    expect(await db.auditEvent.count()).toBe(1);
    expect(await db.$queryRaw`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE application_name = 'tessera-retention' AND datname = current_database()`).toEqual([{ n: 0 }]);
  });

  it("stops a long sweep between two statements when the service stops", async () => {
    const { logger, lines } = memoryLogger();
    await db.auditEvent.createMany({ data: Array.from({ length: 3000 }, () => ({ type: "auth.login", createdAt: ago(new Date(), 800 * DAY) })) });
    const stop = startRetentionSweeper(db, logger, { databaseUrl: scratch.url, batchSize: 1 }, 60_000);
    await expect.poll(() => db.auditEvent.count(), { timeout: 5_000 }).toBeLessThan(2990);
    await stop();
    const left = await db.auditEvent.count();
    expect(left).toBeGreaterThan(0);
    const done = lines.map((l) => JSON.parse(l)).find((l) => l.msg === "retention sweep done");
    expect(done).toMatchObject({ aborted: true, deleted: { auditEvents: 3000 - left } });
  });
});

describe("in the service", () => {
  it("runs every RETENTION_SWEEP_SECONDS, keeps a live user's session working, and stops with the service", async () => {
    const server = await startTestServer({ RETENTION_SWEEP_SECONDS: "1" }, scratch.url);
    let stopped = false;
    try {
      const auth = server.connect(AuthService);
      const email = uniqueEmail("retention-live");
      const first = (await auth.register({ email, password: GOOD_PASSWORD })).tokens!;
      const second = (await auth.refresh({ refreshToken: first.refreshToken })).tokens!;
      const userId = (await db.user.findUniqueOrThrow({ where: { email } })).id;
      const dead = await session(userId, { expires: ago(new Date(), 31 * DAY) });
      await db.auditEvent.create({ data: { type: "auth.login", createdAt: ago(new Date(), 800 * DAY) } });

      // Swept by a scheduled run (the first one ran at start, before these rows existed).
      await expect.poll(() => db.session.count({ where: { id: dead.id } }), { timeout: 5_000 }).toBe(0);
      await expect.poll(() => server.logs.filter((l) => l.includes('"retention sweep done"') && l.includes('"sessions":1')).length).toBe(1);

      // The live session and both its refresh tokens are still there: signing in, refreshing and
      // detecting reuse of the spent token all still work.
      expect(await db.refreshToken.count({ where: { sessionId: second.sessionId } })).toBe(2);
      const third = (await auth.refresh({ refreshToken: second.refreshToken })).tokens!;
      expect(third.sessionId).toBe(first.sessionId);
      expect((await auth.login({ email, password: GOOD_PASSWORD })).tokens?.accessToken).toBeTruthy();
      expect(await failure(auth.refresh({ refreshToken: first.refreshToken }))).toMatchObject({ code: Code.Unauthenticated, reason: "auth.refresh_token_reused" });

      await server.stop();
      stopped = true;
      await db.auditEvent.create({ data: { type: "auth.login", createdAt: ago(new Date(), 800 * DAY) } });
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await db.auditEvent.count({ where: { createdAt: { lt: ago(new Date(), 799 * DAY) } } })).toBe(1);
    } finally {
      if (!stopped) await server.stop();
    }
  });
});
