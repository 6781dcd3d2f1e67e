// The span of one incoming request (OpenTelemetry semantic conventions for RPC and HTTP server
// spans). Attributes name only the method, route and status: never a URL with its query, a
// header, an email, a token or a password.
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { currentTrace, parseTraceparent, parseTracestate, traceIdsFor, type TraceIds } from "./trace-context.js";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"]);
// gRPC codes that mean the server failed (semantic conventions, "rpc.grpc.status_code" on server spans).
const SERVER_ERROR_CODES = new Set([2, 4, 12, 13, 14, 15]);

type TraceHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * One request's trace ids and, when the OpenTelemetry SDK is on, its server span. Without a
 * tracer there is no span, only ids for log lines and forwarded calls.
 */
export class ServerSpan implements TraceIds {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
  readonly traceState: TraceIds["traceState"];
  private isRpc = false;

  private constructor(
    private readonly span: Span | undefined,
    ids: TraceIds,
  ) {
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
    this.sampled = ids.sampled;
    this.traceState = ids.traceState;
  }

  /**
   * Starts the span of a request: a child of the caller's span when `traceparent` is valid,
   * otherwise the root of a new trace. Named by its method until nameRpc/nameRoute.
   */
  static start(tracer: Tracer | undefined, headers: TraceHeaders, method: string | undefined): ServerSpan {
    if (!tracer) return new ServerSpan(undefined, traceIdsFor(headers));
    const httpMethod = method !== undefined && METHODS.has(method) ? method : "_OTHER";
    const parent = parseTraceparent(headers["traceparent"]);
    const context = parent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: parent.traceId,
          spanId: parent.parentId,
          traceFlags: parent.flags,
          isRemote: true,
          traceState: parseTracestate(headers["tracestate"]),
        })
      : ROOT_CONTEXT;
    const span = tracer.startSpan(
      httpMethod === "_OTHER" ? "HTTP" : httpMethod,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": httpMethod } },
      context,
    );
    const sc = span.spanContext();
    return new ServerSpan(span, { traceId: sc.traceId, spanId: sc.spanId, sampled: span.isRecording(), traceState: sc.traceState });
  }

  /** The request is an RPC: the span is named "package.Service/Method". */
  nameRpc(service: string, method: string, system: "grpc" | "connect_rpc"): void {
    this.isRpc = true;
    this.span?.updateName(`${service}/${method}`);
    this.span?.setAttributes({ "rpc.system": system, "rpc.service": service, "rpc.method": method });
  }

  /** The RPC's outcome as a gRPC status code (Connect's codes are gRPC's). */
  rpcStatus(code: number): void {
    this.span?.setAttribute("rpc.grpc.status_code", code);
    if (SERVER_ERROR_CODES.has(code)) this.span?.setStatus({ code: SpanStatusCode.ERROR });
  }

  /** The request matched a plain HTTP route (a template such as "/users/{id}", never the URL). */
  nameRoute(method: string, route: string): void {
    this.span?.updateName(`${method} ${route}`);
    this.span?.setAttribute("http.route", route);
  }

  /** Ends the span once the response is done; `statusCode` is the HTTP status sent. */
  end(statusCode: number): void {
    if (!this.span) return;
    if (!this.isRpc) {
      this.span.setAttribute("http.response.status_code", statusCode);
      if (statusCode >= 500) this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }
}

/** The server span of the request being handled, if any. */
export function currentServerSpan(): ServerSpan | undefined {
  const ids = currentTrace();
  return ids instanceof ServerSpan ? ids : undefined;
}
