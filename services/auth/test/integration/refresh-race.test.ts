import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashOpaqueToken } from "../../src/session/refresh-token.js";
import { GOOD_PASSWORD, inProcessAuth, uniqueEmail, type InProcessAuth } from "../harness.js";
import { failure } from "../rpc-failure.js";

// Races on one refresh token, read back from the database. Rotation is one statement whose
// snapshot predates any commit it waited for (session-store's rotate-statement.ts); these
// tests catch a statement that decides on that stale snapshot instead of the rows' newest state.

const client = { ipAddress: "203.0.113.9", userAgent: "race-test" };

let noGrace: InProcessAuth;
let longGrace: InProcessAuth;
beforeAll(async () => {
  [noGrace, longGrace] = await Promise.all([inProcessAuth({ TESSERA_REFRESH_GRACE: "0" }), inProcessAuth({ TESSERA_REFRESH_GRACE: "120" })]);
});
afterAll(() => Promise.all([noGrace?.components.close(), longGrace?.components.close()]));

async function signUp({ auth }: InProcessAuth) {
  return (await auth.register({ email: uniqueEmail("race"), password: GOOD_PASSWORD })).tokens!;
}

async function tokenRows({ components }: InProcessAuth, sessionId: string) {
  const { rows } = await components.pool.query<{ hash: string; used: boolean }>(
    `SELECT encode("tokenHash", 'hex') AS hash, "usedAt" IS NOT NULL AS used FROM "RefreshToken" WHERE "sessionId" = $1 ORDER BY "createdAt", id`,
    [sessionId],
  );
  return rows;
}

async function eventTypes({ components }: InProcessAuth, sessionId: string) {
  const events = await components.db.auditEvent.findMany({ where: { sessionId }, orderBy: { id: "asc" }, select: { type: true, data: true, ipAddress: true, userAgent: true } });
  return events.filter((e) => e.type !== "SIGN_IN_SUCCEEDED" && e.type !== "USER_REGISTERED");
}

const sha256Hex = (token: string) => createHash("sha256").update(token).digest("hex");

describe("32 concurrent exchanges of one token", () => {
  it("inside the grace window: all get the one successor, stored once, and nothing is revoked", async () => {
    const tokens = await signUp(longGrace);
    const results = await Promise.all(Array.from({ length: 32 }, () => longGrace.auth.refresh({ refreshToken: tokens.refreshToken })));
    const successors = new Set(results.map((r) => r.tokens!.refreshToken));
    expect(successors.size).toBe(1);
    const [successor] = successors;
    expect(await tokenRows(longGrace, tokens.sessionId)).toEqual([
      { hash: sha256Hex(tokens.refreshToken), used: true },
      { hash: sha256Hex(successor!), used: false },
    ]);
    const session = await longGrace.components.db.session.findUniqueOrThrow({ where: { id: tokens.sessionId } });
    expect(session.revokedAt).toBeNull();
    expect(await eventTypes(longGrace, tokens.sessionId)).toEqual([]);
  });

  it("without a grace window: one wins, the rest are refused, the session is revoked once with both events", async () => {
    const tokens = await signUp(noGrace);
    const results = await Promise.allSettled(Array.from({ length: 32 }, () => noGrace.auth.refresh({ refreshToken: tokens.refreshToken })));
    const won = results.flatMap((r) => (r.status === "fulfilled" ? [r.value.tokens!] : []));
    expect(won).toHaveLength(1);
    const reasons = await Promise.all(results.filter((r) => r.status === "rejected").map(async (r) => (await failure(Promise.reject(r.reason))).reason));
    expect(reasons.filter((r) => r === "auth.refresh_token_reused")).toHaveLength(1);
    expect(reasons.filter((r) => r !== "auth.refresh_token_reused").every((r) => r === "session.revoked")).toBe(true);
    expect(await tokenRows(noGrace, tokens.sessionId)).toEqual([
      { hash: sha256Hex(tokens.refreshToken), used: true },
      { hash: sha256Hex(won[0]!.refreshToken), used: false },
    ]);
    const session = await noGrace.components.db.session.findUniqueOrThrow({ where: { id: tokens.sessionId } });
    expect(session.revokeReason).toBe("refresh_token_reused");
    expect((await eventTypes(noGrace, tokens.sessionId)).map((e) => [e.type, e.data])).toEqual([
      ["REFRESH_TOKEN_REUSED", {}],
      ["SESSION_REVOKED", { reason: "refresh_token_reused" }],
    ]);
  });
});

describe("an exchange that waited for another to commit", () => {
  /**
   * Starts an exchange of `token` while another transaction holds the session row and, as a
   * winning exchange would, spends the token and stores `successorHash` (spent too when
   * `successorSpent`: its holder moved on before the waiting exchange got the row); commits once
   * the exchange is seen waiting on it.
   */
  async function exchangeBehind(token: string, sessionId: string, successorHash: Buffer, successorSpent: boolean) {
    const { pool, sessionStore } = longGrace.components;
    const holder = await pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Session" WHERE id = $1 FOR UPDATE`, [sessionId]);
      await holder.query(`UPDATE "RefreshToken" SET "usedAt" = now() AT TIME ZONE 'UTC' WHERE "tokenHash" = $1`, [Buffer.from(hashOpaqueToken(token))]);
      await holder.query(
        `INSERT INTO "RefreshToken" (id, "tokenHash", "sessionId", "usedAt") VALUES (gen_random_uuid()::text, $1, $2, CASE WHEN $3 THEN now() AT TIME ZONE 'UTC' END)`,
        [successorHash, sessionId, successorSpent],
      );
      const { rows } = await holder.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      const exchange = sessionStore.rotate({ tokenHash: hashOpaqueToken(token), nextHash: new Uint8Array(successorHash), graceMs: 120_000, client });
      for (let waiting = 0; waiting === 0; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const blocked = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", [rows[0]!.pid]);
        waiting = blocked.rows[0]!.n;
      }
      await holder.query("COMMIT");
      return await exchange;
    } finally {
      holder.release();
    }
  }

  it("gets the successor the winner stored, inside the window", async () => {
    const tokens = await signUp(longGrace);
    const successorHash = randomBytes(32);
    expect(await exchangeBehind(tokens.refreshToken, tokens.sessionId, successorHash, false)).toMatchObject({ kind: "rotated", grace: true, sessionId: tokens.sessionId });
    expect((await tokenRows(longGrace, tokens.sessionId)).filter((t) => !t.used)).toEqual([{ hash: successorHash.toString("hex"), used: false }]);
    expect(await eventTypes(longGrace, tokens.sessionId)).toEqual([]);
  });

  it("is reuse when that successor was spent meanwhile, and revokes the session", async () => {
    const tokens = await signUp(longGrace);
    expect(await exchangeBehind(tokens.refreshToken, tokens.sessionId, randomBytes(32), true)).toMatchObject({ kind: "reused", sessionId: tokens.sessionId });
    const session = await longGrace.components.db.session.findUniqueOrThrow({ where: { id: tokens.sessionId } });
    expect(session.revokeReason).toBe("refresh_token_reused");
    expect(await eventTypes(longGrace, tokens.sessionId)).toEqual([
      { type: "REFRESH_TOKEN_REUSED", data: {}, ...client },
      { type: "SESSION_REVOKED", data: { reason: "refresh_token_reused" }, ...client },
    ]);
  });
});

it("treats a spent token whose successor is not stored as reuse inside the window, and hands out no new token", async () => {
  const tokens = await signUp(longGrace);
  const { sessionStore } = longGrace.components;
  const tokenHash = hashOpaqueToken(tokens.refreshToken);
  await sessionStore.rotate({ tokenHash, nextHash: new Uint8Array(randomBytes(32)), graceMs: 120_000, client });
  // Another successor than the stored one: as if the token had been spent under another key.
  expect(await sessionStore.rotate({ tokenHash, nextHash: new Uint8Array(randomBytes(32)), graceMs: 120_000, client })).toMatchObject({ kind: "reused" });
  expect((await tokenRows(longGrace, tokens.sessionId)).filter((t) => !t.used)).toHaveLength(1);
  expect((await longGrace.components.db.session.findUniqueOrThrow({ where: { id: tokens.sessionId } })).revokeReason).toBe("refresh_token_reused");
});
