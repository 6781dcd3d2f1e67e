/**
 * `npm run start:gateway` — the REST gateway in front of the auth service (TESSERA_AUTH_URL).
 * Configuration: see loadGatewayConfig and README, "REST gateway".
 */
import { ConfigError, loadGatewayConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startGateway } from "./server.js";
import { logTracingErrors } from "../../shared/tracing-sdk.js";

let config;
try {
  config = loadGatewayConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
const logger = createLogger(config.logLevel);
// First line, always: an operator must see whether the development credential is allowed.
logger.info({ mode: config.env }, `mode: ${config.env}`);
if (config.tracing.tracesUrl !== undefined) {
  logTracingErrors(logger);
  // The host only: a collector URL may carry credentials.
  logger.info({ serviceName: config.tracing.serviceName, collector: new URL(config.tracing.tracesUrl).host }, "OpenTelemetry: exporting spans over OTLP/HTTP");
}
const gateway = await startGateway(config, logger);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, drainSeconds: config.drainSeconds }, `shutting down: /readyz 503, serving ${config.drainSeconds} s more, then finishing requests`);
    gateway.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
// Only now: whoever reads this line may signal at once, and the handlers above are in place.
// metricsUrl is "off" when METRICS_ADDRESS=off.
const metricsAt = config.metrics.listen;
const metricsUrl = metricsAt && gateway.metricsPort !== undefined ? `http://${metricsAt.host.includes(":") ? `[${metricsAt.host}]` : metricsAt.host}:${gateway.metricsPort}/metrics` : "off";
logger.info({ url: gateway.url, authUrl: config.authUrl, metricsUrl, metricsToken: config.metrics.token !== undefined }, "gateway listening");
