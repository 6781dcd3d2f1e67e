import { setRole } from "../admin/roles.js";
import { withCliDatabase } from "../db/cli-database.js";
import { CLI_CLIENT, CLI_VIA, databaseProblem, emailArgument, type CliCommand } from "./cli-context.js";

/**
 * revoke-admin <email>: takes the admin role away (ROLE_CHANGED), never from the last admin:
 * setRole counts the admins under lock, as for SetUserRole.
 */
export const revokeAdmin: CliCommand = {
  name: "revoke-admin",
  args: "<email>",
  summary: "take the admin role away (never from the last admin)",
  async run(args, ctx) {
    const email = emailArgument(this, args, ctx);
    if (!email) return 1;
    return withCliDatabase(
      ctx.env,
      ctx.io,
      async (db) => {
        const outcome = await setRole(db, { email }, "USER", { client: CLI_CLIENT, via: CLI_VIA });
        switch (outcome.kind) {
          case "not_found":
            ctx.io.err(`error: no account has the email ${email}`);
            return 1;
          case "last_admin":
            ctx.io.err(`error: ${email} (user ${outcome.userId}) is the last admin; grant another account the role first`);
            return 1;
          case "unchanged":
            ctx.io.out(`${email} (user ${outcome.userId}) is not an admin; nothing to do`);
            return 0;
          case "changed":
            ctx.io.out(`${email} (user ${outcome.userId}) is no longer an admin (now ${outcome.to}); it applies to their next request`);
            return 0;
          default:
            ctx.io.err(`error: unexpected outcome ${outcome.kind}`);
            return 1;
        }
      },
      databaseProblem,
    );
  },
};
