import { Writable } from "node:stream";
import { createClient, createRouterTransport, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { DescService } from "@bufbuild/protobuf";
import { pino } from "pino";
import { inject } from "vitest";
import { traceLogFields } from "../../shared/trace-context.js";
import { loadConfig, type Config } from "../src/config/config.js";
import type { Logger } from "../src/config/logger.js";
import { buildComponents, startApp, type App, type Components } from "../src/server/app.js";
import type { TracingOptions } from "../src/tracing/tracing.js";

/**
 * Throttling limits of test servers: far above what any suite does from 127.0.0.1 (suites share
 * one database, so they share the per-IP buckets too), yet counted, so every suite exercises the
 * limiter. throttle.test.ts sets low limits through `env`.
 */
export const TEST_RATE_LIMITS: Record<string, string> = Object.fromEntries(
  ["LOGIN_ACCOUNT", "LOGIN_ACCOUNT_TOTAL", "LOGIN_IP", "REGISTER_IP", "RESET_EMAIL", "RESET_IP", "VERIFY_USER"].map((rule) => [`TESSERA_LIMIT_${rule}`, "1000000"]),
);

/**
 * The config tests run with: test mode, ephemeral port, no drain window, high throttling limits,
 * no retention sweeper (suites share one database, and one suite's old rows are not another
 * suite's to delete; retention.test.ts turns it on), unless overridden.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ TESSERA_ENV: "test", TESSERA_AUTH_PORT: "0", METRICS_ADDRESS: "127.0.0.1:0", TESSERA_DRAIN_SECONDS: "0", LOG_LEVEL: "info", RETENTION_SWEEP_SECONDS: "0", ...TEST_RATE_LIMITS, ...env });
}

/** A logger whose JSON lines are kept in memory, so tests can read what would be logged. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      cb();
    },
  });
  // The same trace fields as the service's own logger (services/shared/logger.ts).
  return { logger: pino({ level: "debug", mixin: traceLogFields }, sink), lines };
}

/** A real auth service listening on 127.0.0.1 against the test database. */
export interface TestServer {
  app: App;
  baseUrl: string;
  logs: string[];
  /** Connect protocol over HTTP/1.1. */
  connect<T extends DescService>(service: T, headers?: Record<string, string>): Client<T>;
  /** gRPC protocol over HTTP/2 (h2c). */
  grpc<T extends DescService>(service: T, headers?: Record<string, string>): Client<T>;
  stop(): Promise<void>;
}

/** Starts the service on an ephemeral port (`tracing`: e.g. an in-memory span exporter). Call stop() in afterAll. */
export async function startTestServer(env: Record<string, string> = {}, databaseUrl = inject("databaseUrl"), tracing: TracingOptions = {}): Promise<TestServer> {
  const { logger, lines } = memoryLogger();
  const app = await startApp(testConfig(env), databaseUrl, logger, tracing);
  const baseUrl = `http://127.0.0.1:${app.port}`;
  const withHeaders = (headers?: Record<string, string>) => [
    (next: Parameters<import("@connectrpc/connect").Interceptor>[0]) => async (req: Parameters<typeof next>[0]) => {
      for (const [k, v] of Object.entries(headers ?? {})) req.header.set(k, v);
      return next(req);
    },
  ];
  const transports: Transport[] = [];
  return {
    app,
    baseUrl,
    logs: lines,
    connect(service, headers) {
      const t = createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors: withHeaders(headers) });
      transports.push(t);
      return createClient(service, t);
    },
    grpc(service, headers) {
      const t = createGrpcTransport({ baseUrl, interceptors: withHeaders(headers) });
      transports.push(t);
      return createClient(service, t);
    },
    stop: () => app.stop(),
  };
}

/** The service's handlers behind an in-memory transport (no network), for handler tests. */
export async function inProcess(env: Record<string, string> = {}): Promise<{ components: Components; transport: Transport; logs: string[] }> {
  const { logger, lines } = memoryLogger();
  const components = await buildComponents(testConfig(env), inject("databaseUrl"), logger);
  const transport = createRouterTransport(components.routerOptions.routes, {
    router: { interceptors: components.routerOptions.interceptors, readMaxBytes: components.routerOptions.readMaxBytes },
  });
  return { components, transport, logs: lines };
}

/** The service's handlers in process (see inProcess) with an AuthService client on them. */
export interface InProcessAuth {
  components: Components;
  auth: Client<typeof AuthService>;
}

export async function inProcessAuth(env: Record<string, string> = {}): Promise<InProcessAuth> {
  const { components, transport } = await inProcess(env);
  return { components, auth: createClient(AuthService, transport) };
}

let counter = 0;
/** A unique, valid email for one test. */
export function uniqueEmail(tag = "user"): string {
  return `${tag}.${process.pid}.${Date.now()}.${counter++}@example.com`;
}

/** A password that passes the policy. */
export const GOOD_PASSWORD = "correct horse battery staple";


/** The credential header the Next.js server presents to AdapterService (test config). */
export function serviceCredentialHeader(): Record<string, string> {
  return { "tessera-service-credential": testConfig().serviceCredential };
}
