/**
 * Minimal SQL migration runner for the auth service.
 *
 * Reads Prisma-Migrate-style folders (`<migrationsDir>/<name>/migration.sql`) and applies them with
 * plain `pg`, because `prisma migrate` needs a native schema engine we cannot ship offline.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

/** Logger subset used here; satisfied by pino and by `console`. */
export interface MigrateLogger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** Folder holding one sub-folder per migration. Defaults to `services/auth/prisma/migrations`. */
  migrationsDir?: string;
  logger?: MigrateLogger;
}

/** An expected, operator-actionable failure (changed/unknown migration, failing SQL, bad folder). */
export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Default folder, resolved from this file so it works regardless of the process cwd. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));

/** Fixed advisory-lock key ("tessera!" as a big-endian int64); passed as text to keep 64-bit precision. */
const LOCK_KEY = "8387236820507844897";
const TABLE = "_tessera_migrations";

const silent: MigrateLogger = { info() {}, warn() {} };

interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

/** SHA-256 of the file; CRLF is normalised so a Windows checkout does not look like an edited migration. */
function checksumOf(sql: string): string {
  return createHash("sha256").update(sql.replace(/\r\n/g, "\n")).digest("hex");
}

async function readMigrations(dir: string): Promise<LocalMigration[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new MigrationError(`cannot read migrations folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  // Plain files (e.g. Prisma's migration_lock.toml) are not migrations; default sort = byte order, not locale.
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      const sql = await readFile(file, "utf8").catch((err: unknown) => {
        throw new MigrationError(`migration ${name} has no readable migration.sql (${file})`, { cause: err });
      });
      return { name, sql, checksum: checksumOf(sql) };
    }),
  );
}

/**
 * Applies pending migrations to `databaseUrl`.
 *
 * Serialised across replicas by a session-level `pg_advisory_lock`, so concurrent callers wait and
 * then find nothing left to do. Each migration runs in its own transaction together with its
 * bookkeeping row in `_tessera_migrations`, so a failure leaves no half-applied migration.
 *
 * @throws {MigrationError} when an applied migration's file changed (checksum mismatch), when the
 *   database has an applied migration missing from the folder, or when a migration's SQL fails.
 * @returns the names of the migrations applied by this call, in order (empty when up to date).
 */
export async function migrate(databaseUrl: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.logger ?? silent;
  const local = await readMigrations(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);

  const client = new pg.Client({ connectionString: databaseUrl, application_name: "tessera-migrate" });
  // Without a listener, a dropped connection would crash the process instead of failing the query.
  client.on("error", (err) => log.warn(`migration connection error: ${err.message}`));
  await client.connect();
  let locked = false;
  try {
    // Try first only to say why we are about to block.
    const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [LOCK_KEY]);
    if (!rows[0]?.ok) {
      log.info("another instance is migrating; waiting for the migration lock");
      await client.query("SELECT pg_advisory_lock($1::bigint)", [LOCK_KEY]);
    }
    locked = true;

    await client.query(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const applied = new Map(
      (await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${TABLE}`)).rows.map((r) => [
        r.name,
        r.checksum,
      ]),
    );
    verify(local, applied);

    const pending = local.filter((m) => !applied.has(m.name));
    const lastApplied = [...applied.keys()].sort().at(-1);
    const done: string[] = [];
    for (const m of pending) {
      if (lastApplied !== undefined && m.name < lastApplied) {
        log.warn(`migration ${m.name} sorts before already-applied ${lastApplied}; applying it out of order`);
      }
      log.info(`applying migration ${m.name}`);
      await applyOne(client, m);
      done.push(m.name);
    }
    return { applied: done };
  } finally {
    // Closing the session would release the lock too; unlock explicitly so a pooled/slow close can't hold it.
    if (locked) await client.query("SELECT pg_advisory_unlock($1::bigint)", [LOCK_KEY]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

/** Refuses to continue when history in the database disagrees with the files. */
function verify(local: LocalMigration[], applied: Map<string, string>): void {
  const byName = new Map(local.map((m) => [m.name, m]));
  const unknown = [...applied.keys()].filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new MigrationError(
      `database has applied migration(s) not present in the migrations folder: ${unknown.join(", ")} ` +
        `(is this an older build than the one that migrated the database?)`,
    );
  }
  const changed = local.filter((m) => applied.has(m.name) && applied.get(m.name) !== m.checksum).map((m) => m.name);
  if (changed.length > 0) {
    throw new MigrationError(
      `checksum mismatch: already-applied migration(s) were modified: ${changed.join(", ")}. ` +
        `Applied migrations must never be edited; restore the original file and add a new migration instead.`,
    );
  }
}

async function applyOne(client: pg.Client, m: LocalMigration): Promise<void> {
  await client.query("BEGIN");
  try {
    // Multi-statement text goes through the simple query protocol, which runs it as one batch.
    await client.query(m.sql);
    await client.query(`INSERT INTO ${TABLE} (name, checksum) VALUES ($1, $2)`, [m.name, m.checksum]);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    const code = (err as { code?: string }).code;
    throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}${code ? ` (SQLSTATE ${code})` : ""}`, {
      cause: err,
    });
  }
}
