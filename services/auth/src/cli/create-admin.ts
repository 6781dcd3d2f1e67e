import { createAdminAccount } from "../admin/create-admin.js";
import { withCliDatabase } from "../db/cli-database.js";
import { PasswordHasher } from "../password/hasher.js";
import { checkPasswordPolicy, PASSWORD_PROBLEM_MESSAGES } from "../password/policy.js";
import { CLI_CLIENT, CLI_VIA, databaseProblem, emailArgument, type CliCommand } from "./cli-context.js";

/**
 * create-admin <email>: creates the account as an admin, with the password from
 * TESSERA_ADMIN_PASSWORD or the first line piped on standard input (never an argument, which
 * would show in `ps` and shell history). The password policy of Register applies.
 */
export const createAdmin: CliCommand = {
  name: "create-admin",
  args: "<email>",
  summary: "create an admin account; password from TESSERA_ADMIN_PASSWORD or standard input",
  async run(args, ctx) {
    const email = emailArgument(this, args, ctx);
    if (!email) return 1;
    const password = ctx.env.TESSERA_ADMIN_PASSWORD ?? (await ctx.readStdin())?.split(/\r?\n/)[0];
    if (password === undefined || password === "") {
      ctx.io.err("error: no password: set TESSERA_ADMIN_PASSWORD or pipe the password on standard input");
      return 1;
    }
    const problem = checkPasswordPolicy(password);
    if (problem) {
      ctx.io.err(`error: ${PASSWORD_PROBLEM_MESSAGES[problem]}`);
      return 1;
    }
    const passwordHash = await new PasswordHasher().hash(password);
    return withCliDatabase(
      ctx.env,
      ctx.io,
      async (db) => {
        const outcome = await createAdminAccount(db, { email, passwordHash }, { client: CLI_CLIENT, via: CLI_VIA });
        if (outcome.kind === "exists") {
          ctx.io.err(`error: an account already has the email ${email}; use grant-admin to make it an admin`);
          return 1;
        }
        if (outcome.role.kind !== "changed" && outcome.role.kind !== "unchanged") {
          ctx.io.err(`error: created ${email} (user ${outcome.userId}) but could not make it an admin (${outcome.role.kind}); run grant-admin`);
          return 1;
        }
        ctx.io.out(`created ${email} (user ${outcome.userId}) as an admin; sign in with its password`);
        return 0;
      },
      databaseProblem,
    );
  },
};
