/**
 * The SQL limiter against the test database: one atomic upsert per hit, so concurrent hits on
 * one key (from any number of connections, as from several replicas) are each counted once.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { publicError } from "../server/error-boundary.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createPrisma, type PrismaClient } from "../db/client.js";
import type { RateLimits } from "../config/config.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { RateLimitStore } from "./rate-limit-store.js";
import { Throttle } from "./throttle.js";
import { throttleKeyer } from "./throttle-key.js";

let db: PrismaClient;
let store: RateLimitStore;
beforeAll(() => {
  // As many connections as concurrent hits: they really run at once.
  db = createPrisma(inject("databaseUrl"), { poolSize: 20 });
  store = new RateLimitStore(db);
});
afterAll(() => db?.$disconnect());

const uniqueKey = () => `test.${randomBytes(8).toString("hex")}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const row = (key: string) => db.rateLimitBucket.findUnique({ where: { key } });

function limits(overrides: Partial<RateLimits> = {}): RateLimits {
  const off = { limit: 0, windowSeconds: 60 };
  return {
    loginAccount: off,
    loginAccountTotal: off,
    loginIp: off,
    passwordCheck: off,
    passwordCheckTotal: off,
    registerIp: off,
    resetEmail: off,
    resetIp: off,
    verifyUser: off,
    ...overrides,
  };
}

describe("RateLimitStore", () => {
  it("counts 20 concurrent hits on a new key as 1..20, each exactly once", async () => {
    const key = uniqueKey();
    const hits = await Promise.all(Array.from({ length: 20 }, () => store.hit(key, 60)));
    expect(hits.map((h) => h.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(hits.map((h) => h.windowStart.getTime())).size).toBe(1);
    expect((await row(key))?.count).toBe(20);
  });

  it("gives the seconds left in the window, at least 1", async () => {
    const key = uniqueKey();
    const first = await store.hit(key, 900);
    expect(first.retryAfterSeconds).toBeGreaterThan(890);
    expect(first.retryAfterSeconds).toBeLessThanOrEqual(900);
    const r = await row(key);
    expect(r!.windowEnd.getTime() - r!.windowStart.getTime()).toBe(900_000);
    expect((await store.hit(uniqueKey(), 1)).retryAfterSeconds).toBe(1);
  });

  it("starts a new window at count 1 once the window has ended", async () => {
    const key = uniqueKey();
    const a = await store.hit(key, 1);
    await store.hit(key, 1);
    expect((await store.hit(key, 1)).count).toBe(3);
    await sleep(1100);
    const b = await store.hit(key, 1);
    expect(b.count).toBe(1);
    expect(b.windowStart.getTime()).toBeGreaterThan(a.windowStart.getTime());
  });

  it("gives a hit back only in the window it was counted in", async () => {
    const key = uniqueKey();
    const a = await store.hit(key, 1);
    await store.hit(key, 1);
    await store.giveBack(key, a.windowStart);
    expect((await row(key))?.count).toBe(1);
    await sleep(1100);
    expect((await store.hit(key, 60)).count).toBe(1);
    await store.giveBack(key, a.windowStart); // the old window: nothing changes
    expect((await row(key))?.count).toBe(1);
  });
});

describe("Throttle", () => {
  it("lets exactly 10 of 20 concurrent hits through with limit 10, refusing the others with a retry delay", async () => {
    const throttle = new Throttle(store, limits({ loginIp: { limit: 10, windowSeconds: 60 } }), throttleKeyer(randomBytes(32)));
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => throttle.hit("loginIp", "198.51.100.20")));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    const refused = results.flatMap((r) => (r.status === "rejected" ? [publicError(r.reason)] : []));
    expect(refused).toHaveLength(10);
    for (const err of refused) {
      expect(err.code).toBe(Code.ResourceExhausted);
      expect(err.findDetails(ErrorDetailSchema)[0]?.reason).toBe("auth.too_many_attempts");
      const retryAfter = Number(err.metadata.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(err.rawMessage).toBe(`too many sign-in attempts; retry in ${retryAfter} seconds`);
    }
  });

  it("keys buckets by an HMAC of scope and subject, never the subject in clear", async () => {
    const keyOf = throttleKeyer(randomBytes(32));
    const throttle = new Throttle(store, limits({ resetEmail: { limit: 5, windowSeconds: 60 }, resetIp: { limit: 5, windowSeconds: 60 } }), keyOf);
    const email = `throttle.${randomBytes(4).toString("hex")}@example.com`;
    const ticket = await throttle.hit("resetEmail", email);
    expect(ticket?.key).toBe(keyOf("reset.email", email));
    expect(ticket?.key).toMatch(/^reset\.email:[A-Za-z0-9_-]{43}$/);
    expect(ticket?.key).not.toContain(email);
    expect(keyOf("reset.ip", email)).not.toBe(ticket?.key.replace("reset.email", "reset.ip"));
    // Another deployment key gives other buckets.
    expect(throttleKeyer(randomBytes(32))("reset.email", email)).not.toBe(ticket?.key);
    const rows = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "RateLimitBucket" WHERE "key" LIKE ${`%${email}%`}`;
    expect(rows[0]!.n).toBe(0);
  });

  it("counts nothing for a rule that is off or a caller without an address", async () => {
    const keyOf = throttleKeyer(randomBytes(32));
    const throttle = new Throttle(store, limits({ registerIp: { limit: 1, windowSeconds: 60 } }), keyOf);
    for (let i = 0; i < 3; i++) expect(await throttle.hit("loginIp", "198.51.100.21")).toBeUndefined();
    expect(await row(keyOf("login.ip", "198.51.100.21"))).toBeNull();
    for (let i = 0; i < 3; i++) expect(await throttle.hit("registerIp", "")).toBeUndefined();
    expect(await throttle.hit("registerIp", "198.51.100.21")).toBeDefined();
    await expect(throttle.hit("registerIp", "198.51.100.21")).rejects.toMatchObject({ kind: "resource_exhausted" });
  });

  it("clears every client's failures of one account on a reset, and no other account's", async () => {
    const keyOf = throttleKeyer(randomBytes(32));
    const one = { limit: 1, windowSeconds: 60 };
    const throttle = new Throttle(store, limits({ loginAccount: one, loginAccountTotal: one, passwordCheck: one, passwordCheckTotal: one }), keyOf);
    const [email, other, userId] = [`a.${randomBytes(4).toString("hex")}@example.com`, `b.${randomBytes(4).toString("hex")}@example.com`, randomUUID()];
    const tickets = [
      await throttle.hit("loginAccount", email, "198.51.100.1"),
      await throttle.hit("loginAccount", email, "2001:db8::1"),
      await throttle.hit("loginAccountTotal", email),
      await throttle.hit("passwordCheck", userId, "198.51.100.1"),
      await throttle.hit("passwordCheckTotal", userId),
    ];
    const untouched = await throttle.hit("loginAccount", other, "198.51.100.1");
    // One prefix per account: the per-client keys of one account share it, another account's do not.
    expect(tickets[0]!.key.split(":").slice(0, 2)).toEqual(tickets[1]!.key.split(":").slice(0, 2));
    expect(untouched!.key.split(":")[1]).not.toBe(tickets[0]!.key.split(":")[1]);
    await expect(throttle.hit("loginAccount", email, "198.51.100.1")).rejects.toMatchObject({ kind: "resource_exhausted" });
    await throttle.clearPasswordFailures({ email, userId });
    for (const t of tickets) expect(await row(t!.key)).toBeNull();
    expect((await row(untouched!.key))?.count).toBe(1);
    expect(await throttle.hit("loginAccount", email, "198.51.100.1")).toBeDefined();
  });
});
