/**
 * `tsx services/auth/src/identity/renormalize-emails-cli.ts` — once after upgrading to the
 * email rules that fold compatibility forms and store IDN domains in ASCII: rewrites stored
 * addresses in $DATABASE_URL's database to their current form (renormalizeStoredEmails) and
 * lists the rows it could not (look-alike pairs, refused addresses) for the operator. Exit code
 * 0 when nothing was left over, 2 when rows need an operator, 1 on failure.
 */
import { pathToFileURL } from "node:url";
import { createPrisma } from "../db/client.js";
import { renormalizeStoredEmails } from "./renormalize-emails.js";

/** Runs the command; returns the exit code. */
export async function renormalizeEmailsCli(
  env: NodeJS.ProcessEnv,
  io: { out: (line: string) => void; err: (line: string) => void } = { out: console.log, err: console.error },
): Promise<number> {
  if (!env.DATABASE_URL) {
    io.err("error: DATABASE_URL is not set");
    return 1;
  }
  const db = createPrisma(env.DATABASE_URL, { poolSize: 1 });
  try {
    const r = await renormalizeStoredEmails(db);
    for (const u of r.updated) io.out(`updated user ${u.id}: ${JSON.stringify(u.from)} -> ${JSON.stringify(u.to)}`);
    for (const c of r.conflicts) io.err(`left user ${c.id}: ${JSON.stringify(c.wanted)} is another account's address (look-alike of ${JSON.stringify(c.email)})`);
    for (const x of r.refused) io.err(`left user ${x.id}: ${JSON.stringify(x.email)} is refused by the current rules`);
    io.out(`${r.updated.length} updated, ${r.conflicts.length + r.refused.length} left for an operator`);
    return r.conflicts.length + r.refused.length > 0 ? 2 : 0;
  } catch (err) {
    io.err(`error: ${String((err as Error).message ?? err).split("\n").filter(Boolean).at(-1)}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

// Run only when executed directly, so tests can import the function.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await renormalizeEmailsCli(process.env);
}
