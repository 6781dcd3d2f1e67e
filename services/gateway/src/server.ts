import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import type { SpanExporter } from "@opentelemetry/sdk-trace-node";
import type { Logger } from "pino";
import type { z } from "zod";
import { Health, HealthCheckResponse_ServingStatus } from "../../../gen/health/v1/health_pb.js";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../gen/tessera/user/v1/user_service_pb.js";
import { ConnectionsPerAddress } from "../../shared/connections-per-address.js";
import { clientIp, isTrustedPeer } from "../../shared/client-ip.js";
import { currentServerSpan, ServerSpan } from "../../shared/server-span.js";
import { runWithTrace } from "../../shared/trace-context.js";
import { AVATAR_MAX_BYTES } from "../../shared/contract-limits.js";
import { JSON_BODY_MAX_BYTES, MULTIPART_BODY_MAX_BYTES, trustedProxyList, type GatewayConfig } from "./config.js";
import { HttpError, toHttpError } from "./errors.js";
import { AccessTokenGuard } from "./guard.js";
import { SECURITY_HEADERS, answerPreflight, applyCors, readBody, readJson, sendError, sendJson, tooLarge } from "./http.js";
import { JwksCache } from "./jwks.js";
import { GatewayMetrics, type RouteInstruments } from "./metrics.js";
import { retryRefusedStream } from "./refused-stream.js";
import { startMetricsServer } from "../../shared/metrics-server.js";
import { openApiDocument } from "./openapi.js";
import { ROUTES, type Clients, type GatewayInfo, type Route } from "./routes.js";
import { forwardTrace, startGatewayTracing, type Tracing } from "./tracing.js";

const RPC_TIMEOUT_MS = 15_000;
const HEALTH_TIMEOUT_MS = 2_000;
const USER_AGENT_MAX = 512;
const REFRESH_HEADER = /^Refresh +([A-Za-z0-9_-]{43})$/i;

/** Test hooks: a clock, JWKS intervals, and a span exporter in place of OTLP (an InMemorySpanExporter). */
export interface GatewayOptions {
  now?: () => number;
  jwksUnknownKidIntervalMs?: number;
  spanExporter?: SpanExporter;
}

/** A running gateway. */
export interface Gateway {
  port: number;
  url: string;
  /** Port of the /metrics listener; undefined when METRICS_ADDRESS is off. */
  metricsPort: number | undefined;
  metrics: GatewayMetrics;
  jwks: JwksCache;
  guard: AccessTokenGuard;
  /** The OpenTelemetry SDK; undefined when no OTLP endpoint is configured (and none injected). */
  tracing: Tracing | undefined;
  /**
   * Graceful stop: /readyz answers 503 at once while requests are still served for the drain
   * window (config.drainSeconds); then no new connections, `Connection: close` on every
   * response, in-flight requests finish (up to the shutdown timeout); the last spans exported.
   */
  stop(): Promise<void>;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  params: string[];
  metrics: RouteInstruments;
}

function compile(route: Route, metrics: GatewayMetrics): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split("/")
    .map((seg) => {
      const m = /^\{([A-Za-z]+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      params.push(m[1]!);
      return "([^/]{1,256})";
    })
    .join("/");
  return { route, pattern: new RegExp(`^${source}$`), params, metrics: metrics.route(route.path, route.method) };
}

/** The first `field.path` of a zod error, and a message for it. */
function invalid(err: z.ZodError, prefix = ""): HttpError {
  const issue = err.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
  return new HttpError(400, "invalid_argument", "request.invalid_argument", field ? `${field}: ${issue.message}` : issue.message, field || undefined);
}

/** Starts the gateway on config.host:config.port (0: ephemeral). */
export async function startGateway(config: GatewayConfig, logger: Logger, opts: GatewayOptions = {}): Promise<Gateway> {
  // One HTTP/2 session to the auth service, shared by every RPC, kept alive with pings; closed
  // after 30 s without a call, before the service's own idle timeout (60 s) sends GOAWAY.
  const sessionManager = new Http2SessionManager(config.authUrl, { pingIntervalMs: 30_000, idleConnectionTimeoutMs: 30_000 });
  // Each RPC carries the request's trace (a child traceparent) to the auth service; a refused
  // stream is sent once more (see refused-stream.ts).
  const transport = createGrpcTransport({ baseUrl: config.authUrl, sessionManager, defaultTimeoutMs: RPC_TIMEOUT_MS, interceptors: [forwardTrace, retryRefusedStream] });
  const tracing = startGatewayTracing(config.tracing, opts.spanExporter);
  const clients: Clients = { auth: createClient(AuthService, transport), users: createClient(UserService, transport) };
  const health = createClient(Health, transport);
  const jwks = new JwksCache({
    url: `${config.authUrl}/.well-known/jwks.json`,
    logger,
    now: opts.now,
    unknownKidIntervalMs: opts.jwksUnknownKidIntervalMs,
  });
  const metrics = new GatewayMetrics();
  const guard = new AccessTokenGuard({ jwks, issuer: config.issuer, audience: config.audience, now: opts.now, onOutcome: (o) => metrics.verification(o) });
  const trusted = trustedProxyList(config.trustedProxies);
  const corsOrigins = new Set(config.corsOrigins);
  const compiled = ROUTES.map((r) => compile(r, metrics));
  let openapi: unknown;
  let draining = false;
  const gateway: GatewayInfo = {
    async jwks() {
      try {
        return (await jwks.current()).jwks;
      } catch {
        throw new HttpError(503, "unavailable", "server.unavailable", "keys temporarily unavailable");
      }
    },
    async ready() {
      if (draining) return false; // load balancers stop routing here before connections are closed
      try {
        const res = await health.check({ service: "" }, { timeoutMs: HEALTH_TIMEOUT_MS });
        return res.status === HealthCheckResponse_ServingStatus.SERVING;
      } catch {
        return false;
      }
    },
    openapi: () => (openapi ??= openApiDocument(ROUTES, config.publicUrl)),
  };

  /** Which route a response counts under; set by handle once the route is known. */
  const routeOf = new WeakMap<ServerResponse, RouteInstruments>();

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string, log: Logger): Promise<void> {
    const url = new URL(req.url ?? "/", "http://gateway.invalid");
    const candidates = compiled.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).filter((x) => x.m);
    const allowed = [...new Set(candidates.map((x) => x.c.route.method))];
    if (req.method === "OPTIONS") {
      if (candidates[0]) routeOf.set(res, metrics.route(candidates[0].c.route.path, "OPTIONS"));
      return answerPreflight(req, res, corsOrigins, allowed);
    }
    applyCors(req, res, corsOrigins);
    if (candidates.length === 0) throw new HttpError(404, "not_found", "route.not_found", "no such route");
    const hit = candidates.find((x) => x.c.route.method === req.method);
    if (!hit) throw new HttpError(405, "method_not_allowed", "route.method_not_allowed", `method not allowed; use ${allowed.join(", ")}`, undefined, { allow: allowed.join(", ") });
    routeOf.set(res, hit.c.metrics);
    const { route, params: names } = hit.c;
    currentServerSpan()?.nameRoute(route.method, route.path);
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(hit.m![i + 1]!);
      } catch {
        throw new HttpError(400, "invalid_argument", "request.invalid_argument", `${name}: malformed`, name);
      }
    });

    const rpcHeaders: Record<string, string> = {
      "x-forwarded-for": clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted),
      "user-agent": (req.headers["user-agent"] ?? "").slice(0, USER_AGENT_MAX),
      "x-request-id": requestId,
      // Lets the auth service believe x-forwarded-for (it ignores it from anyone else).
      "tessera-service-credential": config.serviceCredential,
    };
    let refreshToken = "";
    if (route.auth === "bearer") {
      const { caller, token } = await guard.check(req.headers.authorization);
      log.setBindings({ userId: caller.userId, sessionId: caller.sessionId });
      rpcHeaders.authorization = `Bearer ${token}`;
    } else if (route.auth === "refresh") {
      const m = REFRESH_HEADER.exec(req.headers.authorization?.trim() ?? "");
      if (!m) throw new HttpError(401, "unauthenticated", "auth.invalid_refresh_token", "a refresh token is required: Authorization: Refresh <refreshToken>");
      refreshToken = m[1]!;
    }

    let body: unknown = {};
    let file: Uint8Array = new Uint8Array();
    if (route.body) {
      const parsed = route.body.safeParse(await readJson(req, JSON_BODY_MAX_BYTES));
      if (!parsed.success) throw invalid(parsed.error);
      body = parsed.data;
    } else if (route.multipart) {
      file = await readUpload(req, route.multipart.field);
    } else {
      await readBody(req, JSON_BODY_MAX_BYTES); // ignored (e.g. /auth/refresh: identity comes only from the header)
    }
    let query: unknown = {};
    if (route.query) {
      const parsed = route.query.safeParse(Object.fromEntries(url.searchParams));
      if (!parsed.success) throw invalid(parsed.error);
      query = parsed.data;
    }

    const result = await route.handle({ params, body, query, refreshToken, file, clients, gateway, rpcHeaders });
    res.setHeader("cache-control", route.cacheControl ?? "no-store");
    if (result.body === undefined) {
      res.writeHead(result.status);
      res.end();
    } else {
      sendJson(res, result.status, result.body);
    }
  }

  // The gateway speaks HTTP/1.1 only (an HTTP/2 preface is a malformed request to it, answered
  // 400 and closed), so its bounds are Node's request deadlines and a per-address connection cap.
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  const server = http.createServer(
    {
      headersTimeout: Math.min(20_000, requestTimeout),
      requestTimeout,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.max(250, Math.min(5_000, requestTimeout / 4)),
    },
    // Each request runs under its trace: the caller's traceparent when valid, otherwise a new
    // one; every log line carries trace_id and span_id (the logger's mixin), and the span ends
    // with the response.
    (req, res) => {
      const span = ServerSpan.start(tracing?.tracer, req.headers, req.method);
      res.once("close", () => span.end(res.statusCode));
      runWithTrace(span, () => serve(req, res));
    },
  );

  function serve(req: IncomingMessage, res: ServerResponse): void {
    inFlight.add(res);
    res.once("close", () => inFlight.delete(res));
    if (closing) res.shouldKeepAlive = false;
    const started = performance.now();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    const log = logger.child({ requestId });
    res.setHeader("x-request-id", requestId);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    // Bound: "finish" is emitted from the socket, outside the request's trace.
    res.once(
      "finish",
      AsyncLocalStorage.bind(() => {
        const ms = performance.now() - started;
        (routeOf.get(res) ?? metrics.unmatchedRoute(req.method)).done(res.statusCode, ms / 1000);
        log.info({ method: req.method, path: (req.url ?? "").split("?")[0], status: res.statusCode, ms: Math.round(ms) }, "request");
      }),
    );
    handle(req, res, requestId, log).catch((err: unknown) => {
      if (err instanceof ConnectError) metrics.upstreamError(err.code);
      const httpErr = toHttpError(err);
      if (httpErr.status >= 500 && httpErr.status !== 503) log.error({ err }, "request failed");
      else if (httpErr.status === 503) log.warn({ err: String(err) }, "upstream unavailable");
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // An unread request body (refused early) would otherwise be drained on a keep-alive connection.
      if (!req.complete) res.shouldKeepAlive = false;
      sendError(res, httpErr);
    });
  }

  const perAddress = new ConnectionsPerAddress(config.maxConnectionsPerIp, (address) => isTrustedPeer(address, trusted));
  server.on("connection", (socket: Socket) => perAddress.admit(socket));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Its own listener (METRICS_ADDRESS), never the public port; it stays up while draining.
  const metricsServer = config.metrics.listen
    ? await startMetricsServer(metrics.registry, config.metrics.listen, config.metrics.token).catch((err: unknown) => {
        server.close();
        sessionManager.abort();
        throw err;
      })
    : undefined;

  return {
    port,
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`,
    metricsPort: metricsServer?.port,
    metrics,
    jwks,
    guard,
    tracing,
    async stop() {
      draining = true;
      if (config.drainSeconds > 0) await new Promise((resolve) => setTimeout(resolve, config.drainSeconds * 1000));
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutSeconds * 1000);
      await closed;
      clearTimeout(timer);
      sessionManager.abort();
      await metricsServer?.close();
      await tracing?.shutdown();
    },
  };
}

/** Reads a multipart/form-data body with exactly one file in `field`; bounded. */
async function readUpload(req: IncomingMessage, field: string): Promise<Uint8Array> {
  const type = req.headers["content-type"];
  if (typeof type !== "string" || !/^multipart\/form-data\s*;/i.test(type))
    throw new HttpError(415, "invalid_argument", "request.unsupported_media_type", `Content-Type must be multipart/form-data with one file field "${field}"`);
  const raw = await readBody(req, MULTIPART_BODY_MAX_BYTES);
  let form: FormData;
  try {
    form = await new Request("http://gateway.invalid/", { method: "POST", headers: { "content-type": type }, body: raw }).formData();
  } catch {
    throw new HttpError(400, "invalid_argument", "request.invalid_argument", "body is not valid multipart/form-data");
  }
  const entries = form.getAll(field);
  const entry = entries[0];
  if (entries.length !== 1 || entry === undefined || typeof entry === "string")
    throw new HttpError(400, "invalid_argument", "request.invalid_argument", `${field}: exactly one file is required in the form field "${field}"`, field);
  if (entry.size > AVATAR_MAX_BYTES) {
    const e = tooLarge(AVATAR_MAX_BYTES);
    throw new HttpError(413, e.code, e.reason, `${field}: must be at most 2 MiB`, field);
  }
  return new Uint8Array(await entry.arrayBuffer());
}
