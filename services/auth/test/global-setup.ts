/**
 * Vitest globalSetup: provides `inject("databaseUrl")`, a fresh, fully migrated database per run.
 *
 * With TEST_DATABASE_URL set, the database is created on that server (CI, a local PostgreSQL);
 * otherwise an embedded PostgreSQL is started from `.data/test-postgres` on port 54330.
 */
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/db/embedded.js";
import { migrate } from "../src/db/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the per-run test database, already migrated. */
    databaseUrl: string;
  }
}

const DATA_DIR = fileURLToPath(new URL("../../../.data/test-postgres", import.meta.url));
const EMBEDDED_PORT = 54330; // Not the dev default (54329), so tests can run while a dev server is up.

/** A throw-away database; `drop` is idempotent enough to call from any cleanup path. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates `<prefix>_<random hex>` on the server behind `serverUrl` (any database URL on it).
 * Random names let parallel runs share one server without colliding.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  await admin(serverUrl, (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE (PG13+) because a test may have leaked a pool; teardown must not hang or fail on it.
    drop: () => admin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Vitest 4 globalSetup entry point; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let serverUrl = process.env.TEST_DATABASE_URL;
  let stopServer = async (): Promise<void> => {};
  if (!serverUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: DATA_DIR,
      port: EMBEDDED_PORT,
      logger: { debug() {}, info: (m) => console.log(`[test-postgres] ${m}`), warn: (m) => console.warn(`[test-postgres] ${m}`) },
    });
    serverUrl = server.url;
    stopServer = server.stop;
    // This cluster is ours alone (a second live user is refused), so databases left by killed runs can go.
    await admin(serverUrl, async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'tessera\\_test\\_%' OR datname LIKE 'tessera\\_scratch\\_%'",
      );
      for (const { datname } of rows) await c.query(`DROP DATABASE ${c.escapeIdentifier(datname)} WITH (FORCE)`);
    });
  }

  let db: ScratchDatabase | undefined;
  try {
    db = await createScratchDatabase(serverUrl, "tessera_test");
    await migrate(db.url);
  } catch (err) {
    await db?.drop().catch(() => undefined);
    await stopServer();
    throw err;
  }
  project.provide("databaseUrl", db.url);

  const created = db;
  return async () => {
    try {
      await created.drop();
    } finally {
      await stopServer();
    }
  };
}
