/**
 * `npm run mail -- <command>` — the outbox for operators, against $DATABASE_URL:
 *   status                  counts by status, age of the oldest queued mail, the last errors
 *                           (recipients and errors only, never bodies)
 *   requeue <id>            puts one FAILED mail back in the queue
 *   requeue --failed        puts every FAILED mail back in the queue
 * A requeued mail is QUEUED with 0 attempts, due now; mail whose link has expired is refused.
 * A running auth service sends it within its poll interval. Exit code 0 when everything asked
 * was done, 1 otherwise, with one line per mail.
 */
import { pathToFileURL } from "node:url";
import { CONSOLE_IO, withCliDatabase, type CliIo } from "../db/cli-database.js";
import type { PrismaClient } from "../db/client.js";
import { outboxStatus, requeueFailed, requeueMail, type RequeueOutcome } from "./mail-admin.js";

const USAGE = "usage: npm run mail -- status | requeue <mail id> | requeue --failed   (with DATABASE_URL set)";

/** Runs the command; returns the exit code. */
export async function mailCli(args: string[], env: NodeJS.ProcessEnv, io: CliIo = CONSOLE_IO): Promise<number> {
  const [command, arg, ...rest] = args;
  const valid = (command === "status" && arg === undefined) || (command === "requeue" && arg !== undefined && rest.length === 0);
  if (!valid) {
    io.err(USAGE);
    return 1;
  }
  return withCliDatabase(env, io, (db) => (command === "status" ? printOutboxStatus(db, io) : requeueAndReport(db, arg === "--failed" ? null : arg!, io)));
}

/** Prints the outbox's counts, its oldest queued mail and the last errors (never bodies); returns 0. Shared with `npm run tessera -- outbox-status`. */
export async function printOutboxStatus(db: PrismaClient, io: CliIo, now = Date.now()): Promise<number> {
  const s = await outboxStatus(db);
  io.out(`queued ${s.counts.QUEUED}, sent ${s.counts.SENT}, failed ${s.counts.FAILED}, expired ${s.counts.EXPIRED}`);
  io.out(s.oldestQueuedAt ? `oldest queued mail waits for ${Math.round((now - s.oldestQueuedAt.getTime()) / 1000)} s (since ${s.oldestQueuedAt.toISOString()})` : "nothing is queued");
  if (s.recentErrors.length === 0) io.out("no recent errors");
  for (const e of s.recentErrors) io.out(`${e.id} ${e.status} to ${e.to}, ${e.attempts} attempts: ${e.lastError.replace(/\s+/g, " ")}`);
  return 0;
}

/**
 * Requeues the mail with id `id`, or every FAILED mail when `id` is null, printing one line per mail; returns 0 when
 * everything asked was requeued, else 1. Shared with `npm run tessera -- outbox-requeue`.
 */
export async function requeueAndReport(db: PrismaClient, id: string | null, io: CliIo): Promise<number> {
  const all = id === null;
  const outcomes = all ? await requeueFailed(db) : [await requeueMail(db, id)];
  if (all && outcomes.length === 0) io.out("no FAILED mail to requeue");
  for (const o of outcomes) report(o, io);
  const requeued = outcomes.filter((o) => o.kind === "requeued").length;
  if (all) io.out(`requeued ${requeued} of ${outcomes.length} FAILED mail`);
  return outcomes.every((o) => o.kind === "requeued") ? 0 : 1;
}

function report(o: RequeueOutcome, io: CliIo): void {
  if (o.kind === "requeued") io.out(`requeued ${o.id} (to ${o.to})`);
  else io.err(`refused ${o.id}: ${o.reason}`);
}

// Run only when executed directly, so tests can import mailCli.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await mailCli(process.argv.slice(2), process.env);
}
