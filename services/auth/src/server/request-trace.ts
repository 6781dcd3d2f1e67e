import type { IncomingHttpHeaders } from "node:http";
import type { Tracer } from "@opentelemetry/api";
import { ServerSpan } from "../../../shared/server-span.js";
import { runWithTrace } from "../../../shared/trace-context.js";

/** What the wrapper uses of a request and response (HTTP/1.1 or HTTP/2). */
type Handler<Req, Res> = (req: Req & { headers: IncomingHttpHeaders; method?: string }, res: Res & { statusCode: number; once(event: "close", fn: () => void): unknown }) => void;

/**
 * Handles every request (RPCs of each protocol, plain HTTP routes, CORS preflights) under its
 * trace: the caller's `traceparent` when valid, otherwise a new trace. Everything the handler
 * starts runs inside it, so every log line carries trace_id and span_id and request-context.ts
 * hands the span to the interceptors. With a tracer the span is recorded and ends when the
 * response does.
 */
export function traceRequests<Req, Res>(tracer: Tracer | undefined, handler: Handler<Req, Res>): Handler<Req, Res> {
  return (req, res) => {
    const span = ServerSpan.start(tracer, req.headers, req.method);
    res.once("close", () => span.end(res.statusCode));
    runWithTrace(span, () => handler(req, res));
  };
}
