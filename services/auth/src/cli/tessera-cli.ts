/**
 * `npm run tessera -- <command> [arguments]`: the operator's command line, against
 * $DATABASE_URL (and, for the key commands, the service's whole environment). One file per
 * command in this folder; each reuses the domain code the RPCs use. `help` lists them.
 */
import { pathToFileURL } from "node:url";
import { CONSOLE_IO } from "../db/cli-database.js";
import type { CliCommand, CliContext } from "./cli-context.js";
import { createAdmin } from "./create-admin.js";
import { grantAdmin } from "./grant-admin.js";
import { printHelp } from "./help.js";
import { listKeys } from "./list-keys.js";
import { outboxRequeue } from "./outbox-requeue.js";
import { outboxStatusCommand } from "./outbox-status.js";
import { revokeAdmin } from "./revoke-admin.js";
import { revokeSessions } from "./revoke-sessions.js";
import { rotateKey } from "./rotate-key.js";
import { sweep } from "./sweep.js";

export const COMMANDS: readonly CliCommand[] = [
  createAdmin,
  grantAdmin,
  revokeAdmin,
  revokeSessions,
  rotateKey,
  listKeys,
  outboxStatusCommand,
  outboxRequeue,
  sweep,
];

/** Runs `args` (command first); resolves to the exit code. */
export async function tesseraCli(args: string[], ctx: Partial<CliContext> = {}): Promise<number> {
  const full: CliContext = { env: process.env, io: CONSOLE_IO, now: Date.now, readStdin: readPipedStdin, ...ctx };
  const [name, ...rest] = args;
  if (name === "help" || name === "--help" || name === "-h") {
    printHelp(COMMANDS, full.io.out);
    return 0;
  }
  if (name === undefined) {
    printHelp(COMMANDS, full.io.err);
    return 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    full.io.err(`error: unknown command ${JSON.stringify(name)}; npm run tessera -- help lists them`);
    return 1;
  }
  return command.run(rest, full);
}

/** Standard input when something is piped in; null for a terminal, so nothing waits for typing. */
async function readPipedStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// Run only when executed directly, so tests can import tesseraCli.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await tesseraCli(process.argv.slice(2));
}
