import type { CliIo } from "../db/cli-database.js";
import type { CliCommand } from "./cli-context.js";

/** Prints every command with its arguments and what it does. */
export function printHelp(commands: readonly CliCommand[], print: CliIo["out"]): void {
  print("usage: npm run tessera -- <command> [arguments]   (with DATABASE_URL and the service's environment set)");
  print("");
  const width = Math.max(...commands.map((c) => `${c.name} ${c.args}`.length));
  for (const c of commands) print(`  ${`${c.name} ${c.args}`.trimEnd().padEnd(width)}  ${c.summary}`);
  print(`  ${"help".padEnd(width)}  show this list`);
  print("");
  print("Each command prints what it did and exits 0, or 1 with a one-line error.");
}
