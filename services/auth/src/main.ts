// Entry point of the auth service: `npm run start:auth`.
import path from "node:path";
import { ConfigError, loadConfig } from "./config/config.js";
import { createLogger } from "./config/logger.js";
import { startEmbeddedPostgres } from "./db/embedded.js";
import { migrate } from "./db/migrate.js";
import { startApp } from "./server/app.js";
import { logTracingErrors } from "../../shared/tracing-sdk.js";

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`tessera-auth: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // First line, always: an operator must see which secrets and routes this process allows.
  logger.info({ mode: config.env }, `mode: ${config.env}`);
  if (config.tracing.tracesUrl !== undefined) {
    logTracingErrors(logger);
    // The host only: a collector URL may carry credentials.
    logger.info({ serviceName: config.tracing.serviceName, collector: new URL(config.tracing.tracesUrl).host }, "OpenTelemetry: exporting spans over OTLP/HTTP");
  }

  let databaseUrl = config.databaseUrl;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  if (!databaseUrl) {
    const dataDir = path.resolve(config.dataDir, "postgres");
    logger.info({ dataDir }, "DATABASE_URL not set: starting embedded PostgreSQL");
    embedded = await startEmbeddedPostgres({ dataDir, logger });
    databaseUrl = embedded.url;
  }
  const { applied } = await migrate(databaseUrl, { logger });
  if (applied.length > 0) logger.info({ applied }, "migrations applied");

  const app = await startApp(config, databaseUrl, logger);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal, drainSeconds: config.drainSeconds },
      `shutting down: NOT_SERVING, serving ${config.drainSeconds} s more, then finishing in-flight calls`,
    );
    await app.stop();
    await embedded?.stop();
    logger.info("stopped");
    process.exit(0);
  };
  // Before the "listening" line: whoever reads it may signal at once, and a signal that comes
  // before its handler kills the process without a drain.
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${app.port}`;
  // metricsUrl is "off" when METRICS_ADDRESS=off.
  const metrics = config.metrics.listen;
  const metricsUrl = metrics && app.metricsPort !== undefined ? `http://${metrics.host.includes(":") ? `[${metrics.host}]` : metrics.host}:${app.metricsPort}/metrics` : "off";
  logger.info(
    { url, env: config.env, metricsUrl, metricsToken: config.metrics.token !== undefined },
    `Tessera auth service listening on ${url} (Connect, gRPC, gRPC-Web; HTTP/1.1 and h2c)`,
  );
}

main().catch((err) => {
  process.stderr.write(`tessera-auth: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
