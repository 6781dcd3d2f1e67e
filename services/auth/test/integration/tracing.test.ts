// W3C trace context in the auth service: a caller's traceparent makes its span the parent of
// ours, no (or a malformed) traceparent starts a new trace, every log line of the call carries
// the trace, and spans reach an OTLP/HTTP collector only when one is configured.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { SpanKind } from "@opentelemetry/api";
import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";

/** The parts of an OTLP/HTTP JSON export request read here. */
interface OtlpBody {
  resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { spans: { traceId: string; parentSpanId?: string; name: string }[] }[] }[];
}

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_ID}-01`;

/** A failed sign-in through `client`: a real RPC with a known outcome (UNAUTHENTICATED). */
async function failedLogin(auth: Client<typeof AuthService>, email = uniqueEmail("trace")): Promise<void> {
  const err = await auth.login({ email, password: GOOD_PASSWORD }).catch((e: unknown) => e);
  expect(ConnectError.from(err).code).toBe(Code.Unauthenticated);
}

/** The JSON log lines of the call with request id `requestId`. */
function linesOf(server: TestServer, requestId: string): Record<string, unknown>[] {
  return server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.requestId === requestId);
}

describe("trace context with an in-memory exporter", () => {
  let server: TestServer;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    server = await startTestServer({}, undefined, { spanExporter: exporter });
  });
  afterAll(() => server?.stop());

  /** The ended server spans whose request matched `match`, once exported. */
  async function spansWhere(match: (s: ReadableSpan) => boolean, count = 1): Promise<ReadableSpan[]> {
    let found: ReadableSpan[] = [];
    await expect
      .poll(async () => {
        await server.app.tracing!.flush();
        found = exporter.getFinishedSpans().filter(match);
        return found.length;
      })
      .toBe(count);
    return found;
  }

  it("joins the caller's trace: the span's parent is the traceparent's parent id, and the call's log lines carry the trace", async () => {
    const requestId = `trace-${Date.now()}`;
    const email = uniqueEmail("trace");
    await failedLogin(server.connect(AuthService, { traceparent: TRACEPARENT, "x-request-id": requestId }), email);

    const [span] = await spansWhere((s) => s.spanContext().traceId === TRACE_ID);
    expect(span!.name).toBe("tessera.auth.v1.AuthService/Login");
    expect(span!.kind).toBe(SpanKind.SERVER);
    expect(span!.parentSpanContext?.spanId).toBe(PARENT_ID);
    expect(span!.parentSpanContext?.isRemote).toBe(true);
    expect(span!.attributes).toMatchObject({
      "rpc.system": "connect_rpc",
      "rpc.service": "tessera.auth.v1.AuthService",
      "rpc.method": "Login",
      "rpc.grpc.status_code": Code.Unauthenticated,
    });
    // Nothing the caller sent is an attribute: not the email, not the password.
    const attributes = JSON.stringify(span!.attributes);
    expect(attributes).not.toContain(email);
    expect(attributes).not.toContain(GOOD_PASSWORD);
    expect(span!.resource.attributes["service.name"]).toBe("tessera-auth");

    const lines = linesOf(server, requestId);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatchObject({ trace_id: TRACE_ID, span_id: span!.spanContext().spanId });
  });

  it("over gRPC too, with the caller's tracestate kept on the span (never read)", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    await failedLogin(server.grpc(AuthService, { traceparent: `00-${traceId}-b7ad6b7169203331-00`, tracestate: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7" }));
    const [span] = await spansWhere((s) => s.spanContext().traceId === traceId);
    expect(span!.attributes["rpc.system"]).toBe("grpc");
    expect(span!.parentSpanContext?.spanId).toBe("b7ad6b7169203331");
    expect(span!.spanContext().traceState?.serialize()).toBe("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    // An outside caller's sampled flag (00 here) does not decide what is recorded.
    expect(span!.ended).toBe(true);
  });

  it("starts a new trace for a call without a traceparent; its log lines carry the new trace", async () => {
    const requestId = `no-trace-${Date.now()}`;
    const before = new Set(exporter.getFinishedSpans().map((s) => s.spanContext().traceId));
    await failedLogin(server.connect(AuthService, { "x-request-id": requestId }));
    const [line] = linesOf(server, requestId);
    expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const [span] = await spansWhere((s) => s.spanContext().traceId === line!.trace_id);
    expect(before.has(span!.spanContext().traceId)).toBe(false);
    expect(span!.parentSpanContext).toBeUndefined();
    expect(line!.span_id).toBe(span!.spanContext().spanId);
  });

  it("ignores a malformed traceparent (and the tracestate next to it): a new trace, no parent", async () => {
    const malformed = [
      `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`, // uppercase hex
      `00-${"0".repeat(32)}-${PARENT_ID}-01`, // all-zero trace id
      `00-${TRACE_ID}-${"0".repeat(16)}-01`, // all-zero parent id
      `ff-${TRACE_ID}-${PARENT_ID}-01`, // forbidden version
      `00-${TRACE_ID}-${PARENT_ID}-01-extra`, // version 00 has exactly four fields
      `00-${TRACE_ID}-${PARENT_ID}`, // no flags
      `00-${TRACE_ID.slice(1)}-${PARENT_ID}-01`, // short trace id
      `${TRACEPARENT},${TRACEPARENT}`, // two values
    ];
    for (const traceparent of malformed) {
      const requestId = `bad-trace-${Date.now()}-${malformed.indexOf(traceparent)}`;
      await failedLogin(server.connect(AuthService, { traceparent, tracestate: "vendor=x", "x-request-id": requestId }));
      const [line] = linesOf(server, requestId);
      expect(line?.trace_id, traceparent).toMatch(/^[0-9a-f]{32}$/);
      expect(line!.trace_id, traceparent).not.toBe(TRACE_ID);
      const [span] = await spansWhere((s) => s.spanContext().traceId === line!.trace_id);
      expect(span!.parentSpanContext, traceparent).toBeUndefined();
      expect(span!.spanContext().traceState, traceparent).toBeUndefined();
    }
  });

  it("traces plain HTTP routes by their route template", async () => {
    const traceId = "11111111111111111111111111111111";
    const res = await fetch(`${server.baseUrl}/.well-known/jwks.json`, { headers: { traceparent: `00-${traceId}-2222222222222222-01` } });
    expect(res.status).toBe(200);
    const [span] = await spansWhere((s) => s.spanContext().traceId === traceId);
    expect(span!.name).toBe("GET /.well-known/jwks.json");
    expect(span!.attributes).toMatchObject({ "http.route": "/.well-known/jwks.json", "http.request.method": "GET", "http.response.status_code": 200 });
    expect(span!.parentSpanContext?.spanId).toBe("2222222222222222");
  });
});

describe("trace context without an OTLP endpoint", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it("starts no SDK, and still writes the caller's trace id into the call's log lines", async () => {
    expect(server.app.tracing).toBeUndefined();
    const requestId = `sdk-off-${Date.now()}`;
    await failedLogin(server.connect(AuthService, { traceparent: TRACEPARENT, "x-request-id": requestId }));
    const lines = linesOf(server, requestId);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.trace_id).toBe(TRACE_ID);
      expect(line.span_id).toMatch(/^[0-9a-f]{16}$/);
      expect(line.span_id).not.toBe(PARENT_ID);
    }
  });
});

describe("export to an OTLP/HTTP collector", () => {
  it("sends the call's span to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces, at the latest when the service stops", async () => {
    const received: { path: string; type: string; body: Buffer }[] = [];
    const collector = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ path: req.url ?? "", type: String(req.headers["content-type"]), body: Buffer.concat(chunks) });
        res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
      const server = await startTestServer({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
      try {
        expect(server.app.tracing).toBeDefined();
        await failedLogin(server.connect(AuthService, { traceparent: TRACEPARENT }));
      } finally {
        await server.stop(); // flushes the batch
      }
      // OTLP/HTTP with JSON bodies (this exporter's encoding): ids are hex strings.
      expect(received.length).toBeGreaterThan(0);
      for (const r of received) expect([r.path, r.type]).toEqual(["/v1/traces", "application/json"]);
      const exported = received.flatMap((r) => (JSON.parse(r.body.toString()) as OtlpBody).resourceSpans);
      const spans = exported.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({ span, resource: rs.resource }))));
      const ours = spans.filter((x) => x.span.traceId === TRACE_ID);
      expect(ours).toHaveLength(1);
      expect(ours[0]!.span).toMatchObject({ name: "tessera.auth.v1.AuthService/Login", parentSpanId: PARENT_ID });
      expect(ours[0]!.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "tessera-auth" } });
      expect(received.map((r) => r.body.toString()).join("")).not.toContain(GOOD_PASSWORD);
    } finally {
      await new Promise((resolve) => collector.close(resolve));
    }
  });
});
