// OpenTelemetry SDK wiring shared by the auth service and the gateway: started only when an
// OTLP endpoint is configured (or a test injects an exporter).
import { diag, DiagLogLevel, type Attributes, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { AlwaysOnSampler, BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from "@opentelemetry/sdk-trace-node";
import type { Logger } from "pino";
import type { TracingConfig } from "./tracing-config.js";

type Resource = NonNullable<NonNullable<ConstructorParameters<typeof NodeTracerProvider>[0]>["resource"]>;

/** A running SDK: the tracer request spans come from. */
export interface Tracing {
  tracer: Tracer;
  /** Exports every ended span now. */
  flush(): Promise<void>;
  /** Exports what is left and stops; the process's last step before it exits. */
  shutdown(): Promise<void>;
}

/**
 * A NodeTracerProvider with a BatchSpanProcessor and the OTLP/HTTP exporter (JSON bodies) to
 * `config.tracesUrl`; undefined (no SDK at all) when no URL is configured and no exporter is
 * given. The exporter still reads OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION and the
 * certificate variables itself.
 *
 * The provider is not registered globally: spans are started from this tracer with an explicit
 * parent (server-span.ts), nothing auto-instruments, and tests run the auth service and the
 * gateway in one process, each with its own provider. Every request is recorded (AlwaysOn): a
 * caller's sampled flag is outside input and must not decide what we keep.
 */
export function startTracing(config: TracingConfig, opts: { exporter?: SpanExporter } = {}): Tracing | undefined {
  if (config.tracesUrl === undefined && opts.exporter === undefined) return undefined;
  const exporter = opts.exporter ?? new OTLPTraceExporter({ url: config.tracesUrl });
  const provider = new NodeTracerProvider({
    resource: serviceResource({ "service.name": config.serviceName, "telemetry.sdk.language": "nodejs", "telemetry.sdk.name": "opentelemetry" }),
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  return {
    tracer: provider.getTracer(config.serviceName),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * A fixed resource. resourceFromAttributes lives in @opentelemetry/resources, which is installed
 * only as a dependency of the SDK and not listed in package.json; the SDK's default resource
 * reads no OTEL_SERVICE_NAME. The exporter reads `attributes` and `schemaUrl`, the processors
 * `asyncAttributesPending`.
 */
function serviceResource(attributes: Attributes): Resource {
  const resource: Resource = {
    attributes,
    asyncAttributesPending: false,
    merge: (other) => (other === null ? resource : serviceResource({ ...other.attributes, ...attributes })),
    getRawAttributes: () => Object.entries(attributes),
  };
  return resource;
}

/** SDK errors (a collector that refuses or cannot be reached) go to the service's log as warnings. */
export function logTracingErrors(logger: Logger): void {
  const warn = (message: string, ...args: unknown[]) => logger.warn({ otel: args.map(String) }, `opentelemetry: ${message}`);
  const ignore = () => {};
  diag.setLogger({ error: warn, warn, info: ignore, debug: ignore, verbose: ignore }, DiagLogLevel.WARN);
}
