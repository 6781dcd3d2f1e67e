import { setRole } from "../admin/roles.js";
import { withCliDatabase } from "../db/cli-database.js";
import { CLI_CLIENT, CLI_VIA, databaseProblem, emailArgument, type CliCommand } from "./cli-context.js";

/** grant-admin <email>: gives an existing account the admin role (ROLE_CHANGED, through setRole like SetUserRole). */
export const grantAdmin: CliCommand = {
  name: "grant-admin",
  args: "<email>",
  summary: "give an existing account the admin role",
  async run(args, ctx) {
    const email = emailArgument(this, args, ctx);
    if (!email) return 1;
    return withCliDatabase(
      ctx.env,
      ctx.io,
      async (db) => {
        const outcome = await setRole(db, { email }, "ADMIN", { client: CLI_CLIENT, via: CLI_VIA });
        switch (outcome.kind) {
          case "not_found":
            ctx.io.err(`error: no account has the email ${email}; register it first (or use create-admin), then run this again`);
            return 1;
          case "unchanged":
            ctx.io.out(`${email} (user ${outcome.userId}) is already an admin`);
            return 0;
          case "changed":
            ctx.io.out(`${email} (user ${outcome.userId}) is now an admin (was ${outcome.from})`);
            return 0;
          // Granting never removes an admin, and the command line acts as no user.
          default:
            ctx.io.err(`error: unexpected outcome ${outcome.kind}`);
            return 1;
        }
      },
      databaseProblem,
    );
  },
};
