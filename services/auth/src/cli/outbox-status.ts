import { withCliDatabase } from "../db/cli-database.js";
import { printOutboxStatus } from "../mail/mail-cli.js";
import { databaseProblem, usage, type CliCommand } from "./cli-context.js";

/** outbox-status: the outbox's counts, oldest queued mail and last errors (never bodies), as `npm run mail -- status`. */
export const outboxStatusCommand: CliCommand = {
  name: "outbox-status",
  args: "",
  summary: "show the mail outbox: counts by status, the oldest queued mail, the last errors",
  async run(args, ctx) {
    if (args.length > 0) return usage(this, ctx);
    return withCliDatabase(ctx.env, ctx.io, (db) => printOutboxStatus(db, ctx.io, ctx.now()), databaseProblem);
  },
};
