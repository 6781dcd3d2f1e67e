/** The gateway's mode fails closed, and its connection bounds are configurable. */
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SERVICE_CREDENTIAL } from "../../shared/development-secrets.js";
import { ConfigError, loadGatewayConfig } from "../src/config.js";

/** The variables a ConfigError for `env` names; fails if `env` is accepted. */
function refused(env: Record<string, string>): string[] {
  try {
    loadGatewayConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => p.split(":")[0]!);
  }
  return expect.fail(`accepted ${JSON.stringify(env)}`);
}

describe("TESSERA_ENV in the gateway", () => {
  it("defaults to production: the development credential and an http issuer are refused unless development is asked for", () => {
    // NODE_ENV no longer decides: a host that sets it to development changes nothing.
    for (const env of [{}, { NODE_ENV: "development" }, { TESSERA_ENV: "" }] as Record<string, string>[]) expect(refused(env)).toEqual(["TESSERA_ISSUER", "TESSERA_SERVICE_CREDENTIAL"]);
    expect(refused({ TESSERA_ENV: "dev" })).toEqual(["TESSERA_ENV"]);
    const dev = loadGatewayConfig({ TESSERA_ENV: "development" });
    expect(dev).toMatchObject({ env: "development", serviceCredential: DEVELOPMENT_SERVICE_CREDENTIAL });
    const prod = loadGatewayConfig({ TESSERA_ISSUER: "https://auth.example.com", TESSERA_SERVICE_CREDENTIAL: "a-real-service-credential-of-enough-length-0123456789" });
    expect(prod.env).toBe("production");
  });

  it("serves /metrics on METRICS_ADDRESS (default 127.0.0.1:9465; off turns it off), with an optional METRICS_TOKEN", () => {
    expect(loadGatewayConfig({ TESSERA_ENV: "test" }).metrics).toEqual({ listen: { host: "127.0.0.1", port: 9465 }, token: undefined });
    expect(loadGatewayConfig({ TESSERA_ENV: "test", METRICS_ADDRESS: "[::]:9100", METRICS_TOKEN: "a-scrape-token-123" }).metrics).toEqual({
      listen: { host: "::", port: 9100 },
      token: "a-scrape-token-123",
    });
    expect(loadGatewayConfig({ TESSERA_ENV: "test", METRICS_ADDRESS: "off" }).metrics.listen).toBeUndefined();
    expect(refused({ TESSERA_ENV: "test", METRICS_ADDRESS: "9465", METRICS_TOKEN: "short" }).sort()).toEqual(["METRICS_ADDRESS", "METRICS_TOKEN"]);
  });

  it("reads the drain window and connection bounds, with defaults", () => {
    expect(loadGatewayConfig({ TESSERA_ENV: "test" })).toMatchObject({ drainSeconds: 5, requestTimeoutSeconds: 60, maxConnectionsPerIp: 64 });
    const c = loadGatewayConfig({ TESSERA_ENV: "test", GATEWAY_DRAIN_SECONDS: "0", GATEWAY_REQUEST_TIMEOUT: "2", GATEWAY_MAX_CONNECTIONS_PER_IP: "3" });
    expect(c).toMatchObject({ drainSeconds: 0, requestTimeoutSeconds: 2, maxConnectionsPerIp: 3 });
    expect(refused({ TESSERA_ENV: "test", GATEWAY_REQUEST_TIMEOUT: "0", GATEWAY_MAX_CONNECTIONS_PER_IP: "0" }).sort()).toEqual([
      "GATEWAY_MAX_CONNECTIONS_PER_IP",
      "GATEWAY_REQUEST_TIMEOUT",
    ]);
  });

  it("turns tracing on only for an OTLP endpoint, named tessera-gateway unless OTEL_SERVICE_NAME says otherwise", () => {
    expect(loadGatewayConfig({ TESSERA_ENV: "test" }).tracing).toEqual({ tracesUrl: undefined, serviceName: "tessera-gateway" });
    expect(loadGatewayConfig({ TESSERA_ENV: "test", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).tracing.tracesUrl).toBe("http://collector:4318/v1/traces");
    expect(loadGatewayConfig({ TESSERA_ENV: "test", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://otel.example.com/t", OTEL_SERVICE_NAME: "edge" }).tracing).toEqual({
      tracesUrl: "https://otel.example.com/t",
      serviceName: "edge",
    });
    expect(refused({ TESSERA_ENV: "test", OTEL_EXPORTER_OTLP_ENDPOINT: "not a url" })).toEqual(["OTEL_EXPORTER_OTLP_ENDPOINT"]);
  });
});
