import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/client.js";
import { startPeriodic } from "../kernel/periodic.js";
import { runSweepOnce, type SweepOptions } from "./sweeper.js";

/**
 * Sweeps now and then every `intervalMs`, in every replica; the sweep lock lets one of them work
 * at a time and the others skip. Counts are logged. Returns the stopper, which stops a sweep in
 * flight after its current statement and waits for it, so no query runs after the pool closes.
 */
export function startRetentionSweeper(
  db: PrismaClient,
  logger: Logger,
  options: Omit<SweepOptions, "now" | "signal">,
  intervalMs: number,
): () => Promise<void> {
  const stopping = new AbortController();
  const stop = startPeriodic(async () => {
    const started = Date.now();
    try {
      const result = await runSweepOnce(db, { ...options, signal: stopping.signal });
      if (!result.ran) logger.debug("retention sweep skipped: another replica is sweeping");
      else logger.info({ deleted: result.counts, statements: result.statements, aborted: result.aborted, ms: Date.now() - started }, "retention sweep done");
    } catch (err) {
      logger.warn({ err: String(err) }, "retention sweep failed");
    }
  }, intervalMs);
  return async () => {
    stopping.abort();
    await stop();
  };
}
