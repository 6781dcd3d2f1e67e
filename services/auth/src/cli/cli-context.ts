import type { CliIo } from "../db/cli-database.js";
import { normalizeEmail } from "../identity/email.js";
import type { ClientInfo } from "../kernel/client-info.js";

/** What a command runs with: the environment, where it prints, a clock and standard input. */
export interface CliContext {
  env: NodeJS.ProcessEnv;
  io: CliIo;
  now: () => number;
  /** Everything piped on standard input; null when it is a terminal (nothing is read). */
  readStdin: () => Promise<string | null>;
}

/** One `npm run tessera -- <name> <args>` command. */
export interface CliCommand {
  name: string;
  /** Its arguments as `help` shows them ("<email>", "[--immediately]"); empty for none. */
  args: string;
  summary: string;
  /** Runs it; resolves to the exit code (0 done, 1 not done, with one line on io.err). */
  run(args: string[], ctx: CliContext): Promise<number>;
}

/**
 * How audit events name the command line: as the client (no address), acting as no user.
 * `via` goes into ROLE_CHANGED's data, as "SetUserRole" does for the RPC.
 */
export const CLI_CLIENT: ClientInfo = { ipAddress: "", userAgent: "tessera-cli" };
export const CLI_VIA = "tessera-cli";

/** Prints the command's usage line on io.err; returns the exit code 1. */
export function usage(command: Pick<CliCommand, "name" | "args">, ctx: CliContext): number {
  ctx.io.err(`usage: npm run tessera -- ${command.name}${command.args ? ` ${command.args}` : ""}   (with DATABASE_URL set)`);
  return 1;
}

/** The normalised email of a one-argument command, or null after printing why there is none. */
export function emailArgument(command: Pick<CliCommand, "name" | "args">, args: string[], ctx: CliContext): string | null {
  if (args.length !== 1 || args[0]!.startsWith("-")) {
    usage(command, ctx);
    return null;
  }
  const email = normalizeEmail(args[0]!);
  if (!email) ctx.io.err(`error: ${JSON.stringify(args[0])} is not a valid email address`);
  return email;
}

/** The database error line of withCliDatabase, with a hint when the schema is missing. */
export function databaseProblem(detail: string): string {
  return `error: could not update the database: ${detail}${/42P01|does not exist/.test(detail) ? " (is the database migrated? npm run db:migrate)" : ""}`;
}
