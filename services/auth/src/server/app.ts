import { setMaxListeners } from "node:events";
import type { Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import type pg from "pg";
import type { Config } from "../config/config.js";
import type { Logger } from "../config/logger.js";
import { createDatabase, type PrismaClient } from "../db/client.js";
import type { AuthMetrics } from "../metrics/auth-metrics.js";
import { startMetricsServer } from "../../../shared/metrics-server.js";
import type { AccessTokens } from "../token/access-token.js";
import type { KeyRing } from "../token/key-ring.js";
import { corsHandler } from "./cors.js";
import type { Deps } from "../rpc/deps.js";
import { wire } from "./deps.js";
import { httpFallback, type HttpRoute } from "../http/http-routes.js";
import { observe, requestIdFor } from "./interceptors.js";
import { measure } from "./metrics-interceptor.js";
import { createDualProtocolServer } from "./listener.js";
import { noStoreSecrets } from "./no-store.js";
import { adapterLookupExempt, requireValidText } from "./request-text.js";
import { contextValuesFor } from "./request-context.js";
import { traceRequests } from "./request-trace.js";
import { startAuthTracing, type Tracing, type TracingOptions } from "../tracing/tracing.js";
import { serviceCredentialCheck } from "../adapter/service-credential.js";
import { routes } from "./routes.js";

/** Largest accepted request message; larger ones get RESOURCE_EXHAUSTED. */
export const READ_MAX_BYTES = 64 * 1024;

/** A running auth service. */
export interface App {
  port: number;
  /** Port of the /metrics listener; undefined when METRICS_ADDRESS is off. */
  metricsPort: number | undefined;
  db: PrismaClient;
  /** The node-postgres pool under `db`. */
  pool: pg.Pool;
  keys: KeyRing;
  accessTokens: AccessTokens;
  /** The OpenTelemetry SDK; undefined when no OTLP endpoint is configured (and none injected). */
  tracing: Tracing | undefined;
  /**
   * Graceful stop: health turns NOT_SERVING at once and calls are still served for the drain
   * window (config.drainSeconds), so load balancers stop routing here before any connection is
   * told to go; then GOAWAY / `Connection: close`, in-flight calls finish, pool closed, the
   * last spans exported.
   */
  stop(): Promise<void>;
}

/** The service's components, wired from config; no port yet. */
export interface Components extends Deps {
  /** The node-postgres pool under `db`. */
  pool: pg.Pool;
  httpRoutes: HttpRoute[];
  metrics: AuthMetrics;
  /** Options for connectNodeAdapter or createRouterTransport. */
  routerOptions: { routes: ReturnType<typeof routes>; interceptors: Interceptor[]; readMaxBytes: number };
  /** Stops background work and closes the database pool. */
  close(): Promise<void>;
}

/** Builds every component from config against a migrated database. */
export async function buildComponents(config: Config, databaseUrl: string, logger: Logger): Promise<Components> {
  const { db, pool, poolStats } = createDatabase(databaseUrl);
  const wired = await wire(config, db, logger, { databaseUrl, pool, poolStats });
  return {
    ...wired.deps,
    pool,
    httpRoutes: wired.httpRoutes,
    metrics: wired.metrics,
    routerOptions: {
      routes: routes(wired.deps),
      // measure runs outermost, so it counts the code the client gets, after observe mapped it.
      // In test mode a reason the called RPC's contract does not declare answers INTERNAL, so a test reaching it fails.
      interceptors: [
        measure(wired.metrics),
        observe(logger, { failUndeclaredReasons: config.env === "test" }),
        noStoreSecrets(),
        requireValidText({ exempt: adapterLookupExempt }),
      ],
      readMaxBytes: READ_MAX_BYTES,
    },
    async close() {
      await wired.stop();
      await db.$disconnect();
    },
  };
}

/** Builds the components and starts listening on config.host:config.port. */
export async function startApp(config: Config, databaseUrl: string, logger: Logger, opts: TracingOptions = {}): Promise<App> {
  const c = await buildComponents(config, databaseUrl, logger);
  const tracing = startAuthTracing(config.tracing, opts);
  const shutdown = new AbortController();
  // Every in-flight call listens on this signal; hundreds at once are normal, not a leak.
  setMaxListeners(0, shutdown.signal);
  const rpc = connectNodeAdapter({
    ...c.routerOptions,
    contextValues: contextValuesFor(serviceCredentialCheck(config.serviceCredential)),
    shutdownSignal: shutdown.signal,
    fallback: httpFallback(c.httpRoutes, logger),
  });
  const cors = corsHandler(config.corsOrigins);
  // Every response carries x-request-id, also those Connect sends before any interceptor runs
  // (undecodable or oversized requests, unknown paths). Set here once, as a header for every
  // protocol; the id is written back into the request so `observe` logs the same one. CORS is
  // decided here too, once for every path (RPCs and plain HTTP routes); it answers preflights.
  // Every request runs under its trace (request-trace.ts).
  const handler: typeof rpc = traceRequests(tracing?.tracer, (req, res) => {
    const incoming = req.headers["x-request-id"];
    const requestId = requestIdFor(typeof incoming === "string" ? incoming : undefined);
    req.headers["x-request-id"] = requestId;
    res.setHeader("x-request-id", requestId);
    if (cors(req, res)) return;
    rpc(req, res);
  });
  const limits = config.connectionLimits;
  const server = createDualProtocolServer(handler, {
    requestTimeoutMs: limits.requestTimeoutSeconds * 1000,
    idleTimeoutMs: limits.idleTimeoutSeconds * 1000,
    maxConcurrentStreams: limits.maxConcurrentStreams,
    maxSessionMemoryMb: limits.maxSessionMemoryMb,
    maxConnectionsPerAddress: limits.maxConnectionsPerIp,
  });
  const port = await server.listen(config.port, config.host);
  // Its own listener (METRICS_ADDRESS), never the public port; it stays up while draining.
  const metricsServer = config.metrics.listen
    ? await startMetricsServer(c.metrics.registry, config.metrics.listen, config.metrics.token).catch(async (err: unknown) => {
        await server.close(0);
        await c.close();
        throw err;
      })
    : undefined;

  return {
    port,
    metricsPort: metricsServer?.port,
    db: c.db,
    pool: c.pool,
    keys: c.keys,
    accessTokens: c.accessTokens,
    tracing,
    async stop() {
      c.health.shutdown();
      // Kubernetes removes an endpoint from load balancers only after the pod is told to stop,
      // and clients learn it later still: calls that arrive meanwhile are served, not reset.
      if (config.drainSeconds > 0) await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
      const timeoutMs = config.shutdownTimeoutSeconds * 1000;
      // Long-lived streams (health Watch) are told to end shortly before sockets are cut.
      const hardStop = setTimeout(() => shutdown.abort(), timeoutMs - Math.min(1000, timeoutMs / 2));
      await server.close(timeoutMs);
      clearTimeout(hardStop);
      await metricsServer?.close();
      await c.close();
      await tracing?.shutdown();
    },
  };
}
