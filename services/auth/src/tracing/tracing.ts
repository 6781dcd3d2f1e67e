// The auth service's OpenTelemetry SDK (services/shared/tracing-sdk.ts): off unless an OTLP
// endpoint is configured; spans are started per request by the server (server/request-trace.ts).
import type { SpanExporter } from "@opentelemetry/sdk-trace-node";
import { startTracing, type Tracing } from "../../../shared/tracing-sdk.js";
import type { TracingConfig } from "../../../shared/tracing-config.js";

export type { Tracing };

/** What tests inject instead of the OTLP exporter (an InMemorySpanExporter). */
export interface TracingOptions {
  spanExporter?: SpanExporter;
}

/** The SDK for config.tracing, or undefined when tracing is off. */
export function startAuthTracing(config: TracingConfig, opts: TracingOptions = {}): Tracing | undefined {
  return startTracing(config, { exporter: opts.spanExporter });
}
