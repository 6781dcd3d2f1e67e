import { startPeriodic } from "../kernel/periodic.js";
import type { Logger } from "../config/logger.js";
import type { RateLimitStore } from "./rate-limit-store.js";

/** How often each replica deletes ended buckets. Concurrent sweeps by several replicas are harmless. */
export const SWEEP_INTERVAL_MS = 5 * 60 * 1000;

/**
 * Deletes ended RateLimitBucket rows now and then every `intervalMs`, so the table holds at
 * most the buckets of current windows. Returns the stopper.
 */
export function startBucketSweeper(store: RateLimitStore, logger: Logger, intervalMs = SWEEP_INTERVAL_MS): () => Promise<void> {
  return startPeriodic(
    () =>
      store
        .sweep()
        .then((deleted) => deleted > 0 && logger.debug({ deleted }, "swept ended rate-limit buckets"))
        .catch((err) => logger.warn({ err: String(err) }, "rate-limit bucket sweep failed")),
    intervalMs,
  );
}
