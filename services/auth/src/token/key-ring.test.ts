import { randomBytes } from "node:crypto";
import { SignJWT, createLocalJWKSet, importPKCS8, jwtVerify } from "jose";
import { afterEach, expect, it } from "vitest";
import { scratchDb } from "../../test/scratch-db.js";
import { createPrisma, type PrismaClient } from "../db/client.js";
import { openPrivateKey } from "./key-encryption.js";
import { KeyRing, type KeyRingOptions } from "./key-ring.js";
import { PrismaSigningKeyStore } from "./signing-key-store.js";

const ROTATION_S = 7200; // publish lead: min(3600, 7200 / 2) = 3600 s
const LEAD_MS = 3600_000;
const TTL_S = 900;
const RETIREMENT_MS = (TTL_S + 60) * 1000; // a retired key stays published this long after its successor activates
const T0 = Date.parse("2030-01-01T00:00:00Z");

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A test clock shared by the rings of one test. */
function clock(start = T0) {
  const c = { t: start, now: () => c.t };
  return c;
}

/** One replica: its own connection pool and KeyRing over the shared database. */
function replica(url: string, opts: Partial<KeyRingOptions> & Pick<KeyRingOptions, "kek" | "now">): { ring: KeyRing; db: PrismaClient } {
  const db = createPrisma(url, { poolSize: 2 });
  cleanups.push(() => db.$disconnect());
  return { db, ring: new KeyRing(new PrismaSigningKeyStore(db), { rotationSeconds: ROTATION_S, accessTokenTtlSeconds: TTL_S, ...opts }) };
}

/** Signs a token with the ring's signing key and verifies it against the ring's published keys. */
async function signAndVerify(ring: KeyRing): Promise<string> {
  const { kid, privateKey } = await ring.signingKey();
  const token = await new SignJWT({}).setProtectedHeader({ alg: "EdDSA", kid }).sign(privateKey);
  await jwtVerify(token, createLocalJWKSet({ keys: await ring.publicJwks() }), { algorithms: ["EdDSA"] });
  return kid;
}

const kids = async (ring: KeyRing) => (await ring.publicJwks()).map((k) => k.kid);

it("first rotate() creates one active key that signs verifiable tokens; rotating again adds none", async () => {
  const url = await scratchDb();
  const c = clock();
  const { ring, db } = replica(url, { kek: randomBytes(32), now: c.now });
  await ring.rotate();
  await ring.rotate();

  const rows = await db.signingKey.findMany();
  expect(rows).toHaveLength(1);
  expect(rows[0]!.activatesAt.getTime()).toBe(T0);
  expect(await signAndVerify(ring)).toBe(rows[0]!.kid);
  const jwks = await ring.publicJwks();
  expect(jwks).toEqual([{ kid: rows[0]!.kid, kty: "OKP", crv: "Ed25519", x: expect.any(String), alg: "EdDSA", use: "sig" }]);
});

it("lets concurrent replicas create only one key, and they all sign with it", async () => {
  const url = await scratchDb();
  const c = clock();
  const kek = randomBytes(32);
  const replicas = Array.from({ length: 4 }, () => replica(url, { kek, now: c.now }));
  await Promise.all(replicas.map((r) => r.ring.rotate()));
  expect(await replicas[0]!.db.signingKey.count()).toBe(1);
  const signing = await Promise.all(replicas.map((r) => r.ring.signingKey()));
  expect(new Set(signing.map((s) => s.kid)).size).toBe(1);

  // And when rotation falls due, only one successor.
  c.t = T0 + (ROTATION_S * 1000 - LEAD_MS);
  await Promise.all(replicas.map((r) => r.ring.rotate()));
  expect(await replicas[0]!.db.signingKey.count()).toBe(2);
});

it("publishes the next key before it signs, then switches signing to it at its activation time", async () => {
  const url = await scratchDb();
  const c = clock();
  const kek = randomBytes(32);
  const { ring, db } = replica(url, { kek, now: c.now });
  await ring.rotate();
  const first = await signAndVerify(ring);

  c.t = T0 + ROTATION_S * 1000 - LEAD_MS - 1; // not yet due
  await ring.rotate();
  expect(await db.signingKey.count()).toBe(1);

  c.t += 1; // due: the successor activates one lead from now
  await ring.rotate();
  const next = (await db.signingKey.findFirstOrThrow({ where: { kid: { not: first } } })).kid;
  const activation = c.t + LEAD_MS;
  expect((await db.signingKey.findUniqueOrThrow({ where: { kid: next } })).activatesAt.getTime()).toBe(activation);
  expect(await kids(ring)).toEqual([next, first]);
  expect(await signAndVerify(ring)).toBe(first);

  // Another replica that never rotated sees the same: published, not yet signing.
  const other = replica(url, { kek, now: c.now }).ring;
  expect(await kids(other)).toEqual([next, first]);

  c.t = activation - 1;
  expect(await signAndVerify(ring)).toBe(first);
  c.t = activation;
  expect(await signAndVerify(ring)).toBe(next);
  expect(await signAndVerify(other)).toBe(next);
});

it("keeps a retired key published for the access-token lifetime plus skew, then unpublishes and deletes it", async () => {
  const url = await scratchDb();
  const c = clock();
  const { ring, db } = replica(url, { kek: randomBytes(32), now: c.now });
  await ring.rotate();
  const first = (await ring.signingKey()).kid;
  c.t = T0 + ROTATION_S * 1000 - LEAD_MS;
  await ring.rotate();
  const activation = c.t + LEAD_MS;
  c.t = activation;
  const next = await signAndVerify(ring);
  expect(next).not.toBe(first);

  c.t = activation + RETIREMENT_MS - 1;
  expect(await kids(ring)).toEqual([next, first]);
  await ring.rotate();
  expect((await db.signingKey.findMany()).map((k) => k.kid).sort()).toEqual([first, next].sort());

  c.t = activation + RETIREMENT_MS;
  expect(await kids(ring)).toEqual([next]);
  expect(await db.signingKey.count()).toBe(2); // still stored until the next rotate()
  await ring.rotate();
  expect((await db.signingKey.findMany()).map((k) => k.kid)).toEqual([next]);
  expect(await signAndVerify(ring)).toBe(next);
});

it("stores the private key sealed: not the PEM, and unopenable with another key-encryption key", async () => {
  const url = await scratchDb();
  const c = clock();
  const kek = randomBytes(32);
  const { ring, db } = replica(url, { kek, now: c.now });
  await ring.rotate();
  const row = await db.signingKey.findFirstOrThrow();
  const sealed = Buffer.from(row.privateKeyEnc);

  const pem = openPrivateKey(sealed, kek, row.kid).toString("utf8");
  expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  expect(sealed.includes(Buffer.from(pem))).toBe(false);
  expect(sealed.includes(der)).toBe(false);
  expect(sealed.toString("latin1")).not.toContain("PRIVATE KEY");
  expect(row.publicJwk).not.toHaveProperty("d");

  // The opened key is the one that signs for the published kid.
  const token = await new SignJWT({}).setProtectedHeader({ alg: "EdDSA", kid: row.kid }).sign(await importPKCS8(pem, "EdDSA"));
  await expect(jwtVerify(token, createLocalJWKSet({ keys: await ring.publicJwks() }))).resolves.toBeDefined();

  expect(() => openPrivateKey(sealed, randomBytes(32), row.kid)).toThrow();
  expect(() => openPrivateKey(sealed, kek, "another-kid")).toThrow(); // bound to its row
  // A replica configured with the wrong key-encryption key cannot sign.
  await expect(replica(url, { kek: randomBytes(32), now: c.now }).ring.signingKey()).rejects.toThrow();
});
