/**
 * `tsx services/auth/src/admin/make-admin-cli.ts <email>` — gives the account with this email
 * the admin role in $DATABASE_URL's database (how the first admin is made; after that, admins
 * can use UserService.SetUserRole). Records a ROLE_CHANGED audit event through the same setRole
 * as SetUserRole, without an actor. The account must exist: register it
 * first. Exit code 0 when the user is an admin afterwards (also if they already were), 1 on
 * any failure, with a one-line message.
 */
import { pathToFileURL } from "node:url";
import { CONSOLE_IO, withCliDatabase, type CliIo } from "../db/cli-database.js";
import { normalizeEmail } from "../identity/email.js";
import { setRole } from "./roles.js";

const USAGE = "usage: tsx services/auth/src/admin/make-admin-cli.ts <email>   (with DATABASE_URL set)";

/** Runs the command; returns the exit code. Output goes to `out` / `err`. */
export async function makeAdminCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo = CONSOLE_IO,
): Promise<number> {
  if (args.length !== 1 || args[0] === "-h" || args[0] === "--help") {
    io.err(USAGE);
    return 1;
  }
  const email = normalizeEmail(args[0]!);
  if (!email) {
    io.err(`error: ${JSON.stringify(args[0])} is not a valid email address`);
    return 1;
  }
  return withCliDatabase(
    env,
    io,
    async (db) => {
      const outcome = await setRole(db, { email }, "ADMIN", {
        client: { ipAddress: "", userAgent: "tessera make-admin-cli" },
        via: "make-admin-cli",
      });
      switch (outcome.kind) {
        case "not_found":
          io.err(`error: no account has the email ${email}; register it first, then run this again`);
          return 1;
        case "last_admin":
        case "actor_not_admin":
          // Granting never removes an admin, and the command line acts as no user.
          io.err(`error: unexpected outcome ${outcome.kind}`);
          return 1;
        case "unchanged":
          io.out(`${email} (user ${outcome.userId}) is already an admin`);
          return 0;
        case "changed":
          io.out(`${email} (user ${outcome.userId}) is now an admin (was ${outcome.from})`);
          return 0;
      }
    },
    (detail) => `error: could not update the database: ${detail}${/42P01|does not exist/.test(detail) ? " (is the database migrated? npm run db:migrate)" : ""}`,
  );
}

// Run only when executed directly, so tests can import makeAdminCli.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await makeAdminCli(process.argv.slice(2), process.env);
}
