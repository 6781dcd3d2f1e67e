import { withCliDatabase } from "../db/cli-database.js";
import { requeueAndReport } from "../mail/mail-cli.js";
import { databaseProblem, usage, type CliCommand } from "./cli-context.js";

/**
 * outbox-requeue [<mail id>]: puts FAILED mail back in the queue (every FAILED mail, or the one
 * named), as `npm run mail -- requeue`; mail whose link expired is refused.
 */
export const outboxRequeue: CliCommand = {
  name: "outbox-requeue",
  args: "[<mail id>]",
  summary: "requeue FAILED mail (all of it, or one by id); mail whose link expired is refused",
  async run(args, ctx) {
    if (args.length > 1 || args[0]?.startsWith("-")) return usage(this, ctx);
    return withCliDatabase(ctx.env, ctx.io, (db) => requeueAndReport(db, args[0] ?? null, ctx.io), databaseProblem);
  },
};
