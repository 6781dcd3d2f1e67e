/**
 * Databases of a test's own on the test database's server, for tests that count rows, break
 * the schema, or queue mail that the workers of other test files must not claim.
 */
import { inject, onTestFinished } from "vitest";
import { createPrisma, type PrismaClient } from "../src/db/client.js";
import { migrate } from "../src/db/migrate.js";
import { createScratchDatabase, type ScratchDatabase } from "./global-setup.js";

/** A new database, migrated unless `migrated: false`; the caller drops it. */
export async function scratchDatabase({ migrated = true } = {}): Promise<ScratchDatabase> {
  const scratch = await createScratchDatabase(inject("databaseUrl"), "tessera_scratch");
  if (migrated) {
    await migrate(scratch.url).catch(async (err: unknown) => {
      await scratch.drop();
      throw err;
    });
  }
  return scratch;
}

/** The URL of a scratchDatabase() for the running test alone: dropped when the test has finished, after its afterEach hooks. */
export async function scratchDb(opts: { migrated?: boolean } = {}): Promise<string> {
  const scratch = await scratchDatabase(opts);
  onTestFinished(() => scratch.drop());
  return scratch.url;
}

/** A migrated scratch database with a Prisma client on it; `drop()` disconnects the client, then drops the database. */
export interface PrismaScratchDatabase extends ScratchDatabase {
  db: PrismaClient;
}

export async function scratchPrisma(): Promise<PrismaScratchDatabase> {
  const scratch = await scratchDatabase();
  const db = createPrisma(scratch.url);
  return {
    url: scratch.url,
    db,
    drop: async () => {
      await db.$disconnect();
      await scratch.drop();
    },
  };
}
