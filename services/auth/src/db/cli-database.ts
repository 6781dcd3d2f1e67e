import type pg from "pg";
import { createDatabase, type PrismaClient } from "./client.js";

/** Where a command-line tool writes: its lines of output and of errors. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const CONSOLE_IO: CliIo = { out: console.log, err: console.error };

/**
 * Runs `command` with a one-connection client for $DATABASE_URL and returns its exit code; the
 * client is closed afterwards. Exit code 1 with one line on `io.err` when DATABASE_URL is unset
 * or the database fails: Prisma's messages span several lines, the last one says what happened,
 * and `describe` turns it into the line printed.
 */
export async function withCliDatabase(
  env: NodeJS.ProcessEnv,
  io: CliIo,
  command: (db: PrismaClient, pool: pg.Pool) => Promise<number>,
  describe: (detail: string) => string = (detail) => `error: ${detail}`,
): Promise<number> {
  const url = env.DATABASE_URL;
  if (!url) {
    io.err("error: DATABASE_URL is not set (e.g. DATABASE_URL=postgresql://user@127.0.0.1:5432/tessera)");
    return 1;
  }
  const { db, pool } = createDatabase(url, { poolSize: 1 });
  try {
    return await command(db, pool);
  } catch (err) {
    const e = err as { message?: string; code?: string };
    io.err(describe((e.message ?? "").split("\n").map((l) => l.trim()).filter(Boolean).at(-1) || e.code || String(err)));
    return 1;
  } finally {
    await db.$disconnect();
  }
}
