import { withCliDatabase } from "../db/cli-database.js";
import { runSweepOnce } from "../retention/sweeper.js";
import { databaseProblem, usage, type CliCommand } from "./cli-context.js";
import { serviceConfig } from "./service-config.js";

/**
 * sweep: one retention sweep now (runSweepOnce, with the service's RETENTION_* and
 * *_RETENTION_DAYS settings), under the same lock as the replicas' sweepers; prints the rows
 * deleted per kind. Exit 1 when a replica is sweeping at that moment: nothing was done.
 */
export const sweep: CliCommand = {
  name: "sweep",
  args: "",
  summary: "run the retention sweeper once and print what it deleted",
  async run(args, ctx) {
    if (args.length > 0) return usage(this, ctx);
    const config = serviceConfig(ctx);
    if (!config) return 1;
    return withCliDatabase(
      ctx.env,
      ctx.io,
      async (db) => {
        const { sweepSeconds: _interval, batchSize, ...periods } = config.retention;
        const result = await runSweepOnce(db, { databaseUrl: ctx.env.DATABASE_URL!, batchSize, ...periods, now: new Date(ctx.now()) });
        if (!result.ran) {
          ctx.io.err("error: another sweep is running (a replica holds the sweep lock); nothing was deleted, try again later");
          return 1;
        }
        const kinds = Object.entries(result.counts);
        const width = Math.max(...kinds.map(([kind]) => kind.length));
        for (const [kind, count] of kinds) ctx.io.out(`${kind.padEnd(width)}  ${count}`);
        const total = kinds.reduce((sum, [, count]) => sum + count, 0);
        ctx.io.out(`deleted ${total} row${total === 1 ? "" : "s"} in ${result.statements} statements of at most ${batchSize} rows`);
        return 0;
      },
      databaseProblem,
    );
  },
};
