import { withCliDatabase } from "../db/cli-database.js";
import { SessionStore } from "../session/session-store.js";
import { CLI_CLIENT, databaseProblem, emailArgument, type CliCommand } from "./cli-context.js";

/**
 * revoke-sessions <email>: ends every live session of the account through SessionStore.revoke,
 * the one revocation path (SESSION_REVOKED per session, reason revoked_by_admin, no actor: an
 * operator acts as no user). No mail, as when an admin does it.
 */
export const revokeSessions: CliCommand = {
  name: "revoke-sessions",
  args: "<email>",
  summary: "end every session of an account (refresh tokens stop working at once)",
  async run(args, ctx) {
    const email = emailArgument(this, args, ctx);
    if (!email) return 1;
    return withCliDatabase(
      ctx.env,
      ctx.io,
      async (db, pool) => {
        const user = await db.user.findUnique({ where: { email }, select: { id: true } });
        if (!user) {
          ctx.io.err(`error: no account has the email ${email}`);
          return 1;
        }
        const ended = await new SessionStore(db, pool).revoke({ userId: user.id }, "revoked_by_admin", CLI_CLIENT);
        ctx.io.out(`ended ${ended.length} session${ended.length === 1 ? "" : "s"} of ${email} (user ${user.id})`);
        // Stateless verifiers (the gateway, services checking the JWKS) cannot know of the revocation.
        if (ended.length > 0) ctx.io.out("access tokens already issued stay valid at JWKS verifiers until they expire (TESSERA_ACCESS_TOKEN_TTL)");
        return 0;
      },
      databaseProblem,
    );
  },
};
