// The OpenTelemetry variables both services read (names and meaning from the OpenTelemetry
// specification, "OTLP Exporter Configuration"): tracing is on only when an endpoint is set.
import { z } from "zod";

const httpUrl = z.url({ protocol: /^https?$/ });

/** Schema fields for the service configs (spread into their z.object). */
export const tracingEnv = {
  /** Base URL of an OTLP/HTTP collector; traces go to `<url>/v1/traces`. Unset (with the next): no tracing SDK. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** Full URL for traces, used as given; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  /** The `service.name` resource attribute of exported spans. */
  OTEL_SERVICE_NAME: z.string().trim().min(1).max(255).optional(),
};

/** Where spans go, and under which service name. */
export interface TracingConfig {
  /** The OTLP/HTTP traces URL; undefined: no SDK, no exporter (log lines still carry trace ids). */
  tracesUrl: string | undefined;
  serviceName: string;
}

/** TracingConfig from the parsed fields of `tracingEnv`. */
export function tracingConfig(
  e: { OTEL_EXPORTER_OTLP_ENDPOINT?: string; OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string; OTEL_SERVICE_NAME?: string },
  defaultServiceName: string,
): TracingConfig {
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  return {
    tracesUrl: e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base === undefined ? undefined : `${base.replace(/\/+$/, "")}/v1/traces`),
    serviceName: e.OTEL_SERVICE_NAME ?? defaultServiceName,
  };
}
