/**
 * Ties grpc.health to the database: a replica that cannot reach PostgreSQL fails every call,
 * so it reports NOT_SERVING and load balancers (and the gateway's /readyz) route elsewhere
 * until it can again. Like Keycloak's and Kratos' readiness checks, this pings the database
 * on a timer rather than on each health request, so health checks cannot load the database.
 */
import pg from "pg";
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

/** A ping over one dedicated connection, and a way to close it. */
export interface DedicatedPing {
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `SELECT 1` over a connection of its own rather than the service's pool: a pool saturated by
 * load would make the probe wait for a slot and report a busy but healthy replica as down
 * (and load balancers would then pile its traffic onto the others). The connection is kept
 * between probes and made again after any failure; connect and query are bounded by `timeoutMs`.
 */
export function dedicatedPing(databaseUrl: string, timeoutMs: number): DedicatedPing {
  let client: pg.Client | undefined;
  let inflight: Promise<void> | undefined;
  const drop = (c: pg.Client) => {
    if (client === c) client = undefined;
    c.end().catch(() => undefined);
  };
  const once = async (): Promise<void> => {
    let c = client;
    if (!c) {
      c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: "tessera-health-probe" });
      const created = c;
      // An idle connection the server ends (shutdown, restart) reports here, not on a query.
      created.on("error", () => drop(created));
      client = c;
      try {
        await c.connect();
      } catch (err) {
        drop(c);
        throw err;
      }
    }
    try {
      await c.query("SELECT 1");
    } catch (err) {
      drop(c);
      throw err;
    }
  };
  return {
    ping() {
      // Never two at once on one connection: a slow probe is joined, not doubled.
      inflight ??= once().finally(() => (inflight = undefined));
      return inflight;
    },
    async close() {
      await inflight?.catch(() => undefined);
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
