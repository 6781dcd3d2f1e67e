// The gateway's OpenTelemetry SDK (services/shared/tracing-sdk.ts), off unless an OTLP endpoint
// is configured, and the interceptor that carries each request's trace to the auth service.
import type { Interceptor } from "@connectrpc/connect";
import { currentTrace, traceHeaders } from "../../shared/trace-context.js";
import { startTracing, type Tracing } from "../../shared/tracing-sdk.js";
import type { TracingConfig } from "../../shared/tracing-config.js";
import type { SpanExporter } from "@opentelemetry/sdk-trace-node";

export type { Tracing };

/** The SDK for config.tracing (or the injected exporter), or undefined when tracing is off. */
export function startGatewayTracing(config: TracingConfig, spanExporter?: SpanExporter): Tracing | undefined {
  return startTracing(config, { exporter: spanExporter });
}

/**
 * Every RPC made while handling a request carries a child `traceparent` (and the caller's
 * tracestate): the auth service's span becomes a child of the gateway's request span.
 */
export const forwardTrace: Interceptor = (next) => (req) => {
  const ids = currentTrace();
  if (ids) for (const [name, value] of Object.entries(traceHeaders(ids))) req.header.set(name, value);
  return next(req);
};
