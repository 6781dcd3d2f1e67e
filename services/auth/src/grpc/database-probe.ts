/**
 * Ties grpc.health to the database: a replica that cannot reach PostgreSQL fails every call,
 * so it reports NOT_SERVING and load balancers (and the gateway's /readyz) route elsewhere
 * until it can again. Like Keycloak's and Kratos' readiness checks, this pings the database
 * on a timer rather than on each health request, so health checks cannot load the database.
 */
import type { Logger } from "../config/logger.js";
import { HealthStatus, OVERALL_SERVICE, ServingStatus } from "./health.js";

/** Options of {@link startDatabaseProbe}. */
export interface DatabaseProbeOptions {
  /** One round trip to the database (e.g. SELECT 1); rejects when it is unreachable. */
  ping: () => Promise<unknown>;
  health: HealthStatus;
  logger: Logger;
  /** Time between the end of one probe and the start of the next. */
  intervalMs: number;
  /** A probe that has not answered within this time counts as failed. */
  timeoutMs: number;
}

/** A running probe. */
export interface DatabaseProbe {
  /** Resolves after the first probe has set the status. */
  readonly ready: Promise<void>;
  /** Stops probing; an unfinished probe no longer changes the status. */
  stop(): Promise<void>;
}

/**
 * Probes at once, then every `intervalMs`, and sets the whole server's ("") status to SERVING
 * or NOT_SERVING on each change, logging it. After health shutdown, HealthStatus ignores the
 * probe, so a draining server never turns SERVING again.
 */
export function startDatabaseProbe(opts: DatabaseProbeOptions): DatabaseProbe {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let lastError = "";

  const once = async (): Promise<void> => {
    let timeout: NodeJS.Timeout | undefined;
    let error: string | undefined;
    try {
      await Promise.race([
        opts.ping(),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
        }),
      ]);
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message.split("\n").at(-1)}` : String(err);
    } finally {
      clearTimeout(timeout);
    }
    if (stopped || opts.health.isShutDown) return;
    const status = error === undefined ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    if (opts.health.get(OVERALL_SERVICE) !== status) {
      if (error === undefined) opts.logger.info({ health: "SERVING" }, "database reachable again");
      else opts.logger.warn({ health: "NOT_SERVING", err: error }, "database unreachable");
      opts.health.set(OVERALL_SERVICE, status);
    } else if (error !== undefined && error !== lastError) {
      opts.logger.warn({ err: error }, "database still unreachable");
    }
    lastError = error ?? "";
  };

  const loop = (): void => {
    current = once().finally(() => {
      if (!stopped) timer = setTimeout(loop, opts.intervalMs).unref();
    });
  };
  loop();
  const ready = current;

  return {
    ready,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
    },
  };
}
