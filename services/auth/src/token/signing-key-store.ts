import type { PrismaClient } from "../db/generated/client.js";

/** A signing key as stored: public JWK in clear, private key sealed. */
export interface StoredSigningKey {
  kid: string;
  alg: string;
  publicJwk: Record<string, unknown>;
  privateKeyEnc: Uint8Array;
  activatesAt: Date;
}

/** Persistence for signing keys. */
export interface SigningKeyStore {
  /** Every stored key, newest activation first. */
  list(): Promise<StoredSigningKey[]>;
  /**
   * Runs `decide` while holding a database-wide lock, so only one replica at a time may add
   * a key; `decide` sees the current keys and returns a key to insert, or null.
   */
  addIfNeeded(decide: (keys: StoredSigningKey[]) => Promise<StoredSigningKey | null>): Promise<void>;
  /** Deletes keys whose tokens can no longer be valid. */
  delete(kids: string[]): Promise<void>;
}

const LOCK_KEY = 0x7e55e2a_0001n;

/** Prisma implementation of SigningKeyStore. */
export class PrismaSigningKeyStore implements SigningKeyStore {
  constructor(private readonly db: PrismaClient) {}

  async list(): Promise<StoredSigningKey[]> {
    const rows = await this.db.signingKey.findMany({ orderBy: { activatesAt: "desc" } });
    return rows.map((r) => ({ ...r, publicJwk: r.publicJwk as Record<string, unknown> }));
  }

  async addIfNeeded(decide: (keys: StoredSigningKey[]) => Promise<StoredSigningKey | null>): Promise<void> {
    await this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
      const rows = await tx.signingKey.findMany({ orderBy: { activatesAt: "desc" } });
      const key = await decide(rows.map((r) => ({ ...r, publicJwk: r.publicJwk as Record<string, unknown> })));
      if (key) {
        await tx.signingKey.create({
          data: { ...key, publicJwk: key.publicJwk as object, privateKeyEnc: Buffer.from(key.privateKeyEnc) },
        });
      }
    });
  }

  async delete(kids: string[]): Promise<void> {
    if (kids.length > 0) await this.db.signingKey.deleteMany({ where: { kid: { in: kids } } });
  }
}
