/**
 * `tsx services/auth/src/db/migrate-cli.ts` — applies pending migrations to $DATABASE_URL.
 * Exit code 0 on success, 1 on any failure; expected failures print one line, no stack.
 */
import { migrate, MigrationError } from "./migrate.js";

/** Errors an operator can act on from the message alone: ours, and pg/network ones (they carry a `code`). */
function isExpected(err: unknown): err is Error & { code?: string } {
  return err instanceof MigrationError || (err instanceof Error && typeof (err as { code?: unknown }).code === "string");
}

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("error: DATABASE_URL is not set (e.g. DATABASE_URL=postgresql://user@127.0.0.1:5432/tessera)");
    return 1;
  }
  let target: string;
  try {
    // Show where we are migrating without echoing the password.
    const u = new URL(url);
    target = `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    console.error("error: DATABASE_URL is not a valid URL");
    return 1;
  }

  try {
    const { applied } = await migrate(url, { logger: { info: (m) => console.log(m), warn: (m) => console.warn(`warning: ${m}`) } });
    if (applied.length === 0) console.log(`${target}: database is up to date`);
    else console.log(`${target}: applied ${applied.length} migration(s): ${applied.join(", ")}`);
    return 0;
  } catch (err) {
    if (isExpected(err)) {
      // Network errors (e.g. AggregateError for ECONNREFUSED) can have an empty message; the code says it all.
      console.error(`error: ${target}: ${err.message || err.code}`);
    } else {
      console.error(err);
    }
    return 1;
  }
}

process.exitCode = await main();
