import { z } from "zod";
import { ConfigError } from "../../shared/config-error.js";
import { DEVELOPMENT_SERVICE_CREDENTIAL } from "../../shared/development-secrets.js";
import { originList } from "../../shared/origins.js";
import { DEFAULT_MODE, MODES, type Mode } from "../../shared/mode.js";
import { trustedProxiesSchema } from "../../shared/client-ip.js";
import { AVATAR_MAX_BYTES } from "../../shared/contract-limits.js";
import { metricsAddress, metricsToken, type MetricsListen } from "../../shared/metrics-config.js";
import { tracingConfig, tracingEnv, type TracingConfig } from "../../shared/tracing-config.js";

export { ConfigError };
export { trustedProxyList } from "../../shared/client-ip.js";

/** Largest JSON request body the gateway reads. */
export const JSON_BODY_MAX_BYTES = 64 * 1024;
/** Largest multipart body for PUT /users/me/image: the largest avatar plus room for boundaries and part headers. */
export const MULTIPART_BODY_MAX_BYTES = AVATAR_MAX_BYTES + 16 * 1024;

const schema = z.object({
  TESSERA_ENV: z.enum(MODES).default(DEFAULT_MODE),
  GATEWAY_HOST: z.string().min(1).default("127.0.0.1"),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The URL clients reach the gateway at, listed as the OpenAPI document's server. */
  GATEWAY_PUBLIC_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:8080"),
  TESSERA_AUTH_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:50051"),
  TESSERA_ISSUER: z.url().default("http://localhost:50051"),
  TESSERA_AUDIENCE: z.string().min(1).default("tessera"),
  GATEWAY_CORS_ORIGINS: originList.default([]),
  GATEWAY_TRUSTED_PROXIES: trustedProxiesSchema,
  TESSERA_SERVICE_CREDENTIAL: z.string().min(32).default(DEVELOPMENT_SERVICE_CREDENTIAL),
  GATEWAY_SHUTDOWN_TIMEOUT: z.coerce.number().int().min(1).max(300).default(15),
  /** After SIGTERM: seconds during which /readyz answers 503 while requests are still served. */
  GATEWAY_DRAIN_SECONDS: z.coerce.number().int().min(0).max(300).default(5),
  /** Deadline for a request's headers and body, seconds (Node's requestTimeout). */
  GATEWAY_REQUEST_TIMEOUT: z.coerce.number().int().min(1).max(600).default(60),
  /** Open connections per client address (the socket's peer address, never X-Forwarded-For); trusted proxies are not counted. */
  GATEWAY_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(64),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Listener of GET /metrics (Prometheus), never the public port: host:port, or "off". */
  METRICS_ADDRESS: metricsAddress("127.0.0.1:9465"),
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  METRICS_TOKEN: metricsToken,
  /** OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT turn the SDK on; OTEL_SERVICE_NAME (default tessera-gateway). */
  ...tracingEnv,
});

/** Validated configuration of the REST gateway. See README, "REST gateway". */
export interface GatewayConfig {
  /** TESSERA_ENV; production unless development or test is asked for. */
  env: Mode;
  host: string;
  port: number;
  /** Where clients reach the gateway (behind a proxy, not host:port); the OpenAPI `servers` entry. */
  publicUrl: string;
  /** Base URL of the auth service (Connect/gRPC and JWKS on one port). */
  authUrl: string;
  issuer: string;
  audience: string;
  /** Exact origins allowed by CORS; empty means no cross-origin access. */
  corsOrigins: string[];
  /** Peers whose X-Forwarded-For is believed (IPs or CIDRs). */
  trustedProxies: string[];
  /** Sent to the auth service so it believes the client IP the gateway forwards. */
  serviceCredential: string;
  shutdownTimeoutSeconds: number;
  /** After SIGTERM, how long /readyz says 503 while requests are still served. */
  drainSeconds: number;
  /** A request's headers and body must have arrived within this. */
  requestTimeoutSeconds: number;
  /** Open connections per peer address; more are closed at once. */
  maxConnectionsPerIp: number;
  logLevel: string;
  /** GET /metrics: its own listener (undefined: off) and the bearer token it requires, if any. */
  metrics: { listen: MetricsListen | undefined; token: string | undefined };
  /** OpenTelemetry export; off (no SDK) unless an OTLP endpoint is set. Log lines carry trace ids either way. */
  tracing: TracingConfig;
}


/** Reads and validates the environment. Throws ConfigError listing every bad variable. */
export function loadGatewayConfig(rawEnv: Readonly<Record<string, string | undefined>> = process.env): GatewayConfig {
  // An empty variable means "not set", as in the auth service.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  if (parsed.success && parsed.data.TESSERA_ENV === "production" && !parsed.data.TESSERA_ISSUER.startsWith("https://"))
    problems.push("TESSERA_ISSUER: must be an https URL in production");
  if (parsed.success && parsed.data.TESSERA_ENV === "production" && parsed.data.TESSERA_SERVICE_CREDENTIAL === DEVELOPMENT_SERVICE_CREDENTIAL)
    problems.push("TESSERA_SERVICE_CREDENTIAL: the development credential is refused in production");
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    env: e.TESSERA_ENV,
    host: e.GATEWAY_HOST,
    port: e.GATEWAY_PORT,
    publicUrl: e.GATEWAY_PUBLIC_URL.replace(/\/+$/, ""),
    authUrl: e.TESSERA_AUTH_URL.replace(/\/+$/, ""),
    issuer: e.TESSERA_ISSUER,
    audience: e.TESSERA_AUDIENCE,
    corsOrigins: e.GATEWAY_CORS_ORIGINS,
    trustedProxies: e.GATEWAY_TRUSTED_PROXIES,
    serviceCredential: e.TESSERA_SERVICE_CREDENTIAL,
    shutdownTimeoutSeconds: e.GATEWAY_SHUTDOWN_TIMEOUT,
    drainSeconds: e.GATEWAY_DRAIN_SECONDS,
    requestTimeoutSeconds: e.GATEWAY_REQUEST_TIMEOUT,
    maxConnectionsPerIp: e.GATEWAY_MAX_CONNECTIONS_PER_IP,
    logLevel: e.LOG_LEVEL,
    metrics: { listen: e.METRICS_ADDRESS, token: e.METRICS_TOKEN },
    tracing: tracingConfig(e, "tessera-gateway"),
  };
}

/** Every variable the schema reads; docs/operations.md has a row for each (a test checks). */
export const GATEWAY_CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);
