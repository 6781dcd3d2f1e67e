// One REST call is one trace: the gateway's span (a child of the caller's traceparent, or the
// root of a new trace) is the parent of the auth service's span, and both services' log lines
// for the call carry that trace id.
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger, startTestServer, type TestServer } from "../../auth/test/harness.js";
import { loadGatewayConfig } from "../src/config.js";
import { startGateway, type Gateway, type GatewayOptions } from "../src/server.js";
import { call, GOOD_PASSWORD, uniqueEmail } from "./helpers.js";

const TRACE_ID = "5c1e2a3b4d5e6f708192a3b4c5d6e7f8";
const CALLER_SPAN = "a1b2c3d4e5f60718";

async function gatewayWithLogs(auth: TestServer, opts: GatewayOptions = {}): Promise<{ gw: Gateway; logs: string[] }> {
  const { logger, lines } = memoryLogger();
  const config = loadGatewayConfig({ TESSERA_ENV: "test", GATEWAY_DRAIN_SECONDS: "0", GATEWAY_PORT: "0", TESSERA_AUTH_URL: auth.baseUrl });
  return { gw: await startGateway(config, logger, opts), logs: lines };
}

/** Log lines (parsed) with request id `requestId`. */
const linesOf = (logs: string[], requestId: string) => logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === requestId);

/** Registers an account through the gateway with `headers`; 201. */
async function register(gw: Gateway, headers: Record<string, string>): Promise<string> {
  const email = uniqueEmail("gw-trace");
  const r = await call(gw, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD, name: "Ada" }, headers });
  expect(r.status).toBe(201);
  return email;
}

/** The one finished span of `trace` in `exporter`, once exported. */
async function spanOf(exporter: InMemorySpanExporter, flush: () => Promise<void>, traceId: string): Promise<ReadableSpan> {
  await expect
    .poll(async () => {
      await flush();
      return exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId).length;
    })
    .toBe(1);
  return exporter.getFinishedSpans().find((s) => s.spanContext().traceId === traceId)!;
}

describe("a REST call traced through the gateway and the auth service", () => {
  const authSpans = new InMemorySpanExporter();
  const gatewaySpans = new InMemorySpanExporter();
  let auth: TestServer;
  let gw: Gateway;
  let gatewayLogs: string[];

  beforeAll(async () => {
    auth = await startTestServer({}, undefined, { spanExporter: authSpans });
    ({ gw, logs: gatewayLogs } = await gatewayWithLogs(auth, { spanExporter: gatewaySpans }));
  });
  afterAll(async () => {
    await gw?.stop();
    await auth?.stop();
  });

  it("continues the caller's trace: caller → gateway span → auth span, and both services log the trace", async () => {
    const requestId = `gw-trace-${Date.now()}`;
    const email = await register(gw, { traceparent: `00-${TRACE_ID}-${CALLER_SPAN}-01`, tracestate: "acme=opaque-1", "x-request-id": requestId });

    const gwSpan = await spanOf(gatewaySpans, () => gw.tracing!.flush(), TRACE_ID);
    const authSpan = await spanOf(authSpans, () => auth.app.tracing!.flush(), TRACE_ID);
    expect(gwSpan.name).toBe("POST /auth/register");
    expect(gwSpan.attributes).toMatchObject({ "http.route": "/auth/register", "http.request.method": "POST", "http.response.status_code": 201 });
    expect(gwSpan.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(gwSpan.resource.attributes["service.name"]).toBe("tessera-gateway");
    expect(authSpan.name).toBe("tessera.auth.v1.AuthService/Register");
    expect(authSpan.parentSpanContext?.spanId).toBe(gwSpan.spanContext().spanId);
    // The caller's tracestate travels on, uninterpreted.
    expect(authSpan.spanContext().traceState?.serialize()).toBe("acme=opaque-1");
    for (const span of [gwSpan, authSpan]) expect(JSON.stringify(span.attributes)).not.toContain(email);

    const gwLines = linesOf(gatewayLogs, requestId);
    const authLines = linesOf(auth.logs, requestId);
    expect(gwLines.length).toBeGreaterThan(0);
    expect(authLines.length).toBeGreaterThan(0);
    for (const line of gwLines) expect(line).toMatchObject({ trace_id: TRACE_ID, span_id: gwSpan.spanContext().spanId });
    for (const line of authLines) expect(line).toMatchObject({ trace_id: TRACE_ID, span_id: authSpan.spanContext().spanId });
  });

  it("starts one new trace for a call without a traceparent, shared by both services", async () => {
    const requestId = `gw-new-trace-${Date.now()}`;
    await register(gw, { "x-request-id": requestId });
    const [gwLine] = linesOf(gatewayLogs, requestId);
    const traceId = String(gwLine?.trace_id);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const gwSpan = await spanOf(gatewaySpans, () => gw.tracing!.flush(), traceId);
    const authSpan = await spanOf(authSpans, () => auth.app.tracing!.flush(), traceId);
    expect(gwSpan.parentSpanContext).toBeUndefined();
    expect(authSpan.parentSpanContext?.spanId).toBe(gwSpan.spanContext().spanId);
    for (const line of linesOf(auth.logs, requestId)) expect(line.trace_id).toBe(traceId);
  });
});

describe("a gateway without an OTLP endpoint", () => {
  const authSpans = new InMemorySpanExporter();
  let auth: TestServer;
  let gw: Gateway;
  let gatewayLogs: string[];

  beforeAll(async () => {
    auth = await startTestServer({}, undefined, { spanExporter: authSpans });
    ({ gw, logs: gatewayLogs } = await gatewayWithLogs(auth));
  });
  afterAll(async () => {
    await gw?.stop();
    await auth?.stop();
  });

  it("starts no SDK, and still logs the trace and forwards it with its own span id as the parent", async () => {
    expect(gw.tracing).toBeUndefined();
    const traceId = "6d2f3b4c5e6f708192a3b4c5d6e7f809";
    const requestId = `gw-sdk-off-${Date.now()}`;
    await register(gw, { traceparent: `00-${traceId}-${CALLER_SPAN}-01`, "x-request-id": requestId });
    const [gwLine] = linesOf(gatewayLogs, requestId);
    expect(gwLine?.trace_id).toBe(traceId);
    expect(gwLine?.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(gwLine?.span_id).not.toBe(CALLER_SPAN);
    const authSpan = await spanOf(authSpans, () => auth.app.tracing!.flush(), traceId);
    expect(authSpan.parentSpanContext?.spanId).toBe(gwLine!.span_id);
  });
});
