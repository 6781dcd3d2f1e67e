import { appendFile, cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, expect, inject, it } from "vitest";
import { scratchDb } from "../../test/scratch-db.js";
import { DEFAULT_MIGRATIONS_DIR, migrate, MigrationError } from "./migrate.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A private copy of the real migrations, safe to edit. */
async function migrationsCopy(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tessera-migrations-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const names = (await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true }))
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

it("global setup provides a migrated database", async () => {
  expect(await migrate(inject("databaseUrl"))).toEqual({ applied: [] });
});

it("applies every migration once and records checksums", async () => {
  const url = await scratchDb({ migrated: false });
  expect(await migrate(url)).toEqual({ applied: names });
  expect(await migrate(url)).toEqual({ applied: [] });

  const rows = await query<{ name: string; checksum: string }>(url, "SELECT name, checksum FROM _tessera_migrations ORDER BY name");
  expect(rows.map((r) => r.name)).toEqual(names);
  for (const r of rows) expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
  expect(await query(url, `SELECT 1 FROM "User"`)).toEqual([]);
});

it("serialises concurrent runs: each migration is applied by exactly one of them", async () => {
  const url = await scratchDb({ migrated: false });
  const [a, b] = await Promise.all([migrate(url), migrate(url)]);
  expect([...a.applied, ...b.applied].sort()).toEqual(names);
  expect([a.applied.length, b.applied.length].sort()).toEqual([0, names.length]);
  expect(await query(url, "SELECT name FROM _tessera_migrations")).toHaveLength(names.length);
});

it("refuses to start when an applied migration was edited", async () => {
  const url = await scratchDb({ migrated: false });
  const dir = await migrationsCopy();
  await migrate(url, { migrationsDir: dir });
  await appendFile(path.join(dir, names[0]!, "migration.sql"), "\n-- edited after release\n");

  const run = migrate(url, { migrationsDir: dir });
  await expect(run).rejects.toBeInstanceOf(MigrationError);
  await expect(run).rejects.toThrow(`checksum mismatch: already-applied migration(s) were modified: ${names[0]}`);
});

it("refuses to start when the database knows a migration the folder does not", async () => {
  const url = await scratchDb({ migrated: false });
  const dir = await migrationsCopy();
  await mkdir(path.join(dir, "99990101000000_newer"));
  await writeFile(path.join(dir, "99990101000000_newer", "migration.sql"), "CREATE TABLE newer (id int);");
  await migrate(url, { migrationsDir: dir });

  await expect(migrate(url)).rejects.toThrow(/not present in the migrations folder: 99990101000000_newer/);
});

it("rolls back a failing migration together with its bookkeeping row", async () => {
  const url = await scratchDb({ migrated: false });
  const dir = await migrationsCopy();
  await mkdir(path.join(dir, "99990101000000_broken"));
  await writeFile(path.join(dir, "99990101000000_broken", "migration.sql"), "CREATE TABLE half_done (id int);\nSELECT 1/0;");

  await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(/migration 99990101000000_broken failed: division by zero/);
  expect(await query(url, "SELECT name FROM _tessera_migrations")).toHaveLength(names.length);
  expect(await query(url, "SELECT to_regclass('half_done') AS t")).toEqual([{ t: null }]);
});
