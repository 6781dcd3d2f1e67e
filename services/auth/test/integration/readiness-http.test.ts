/**
 * The plain-HTTP readiness a load balancer checks (HAProxy's httpchk cannot ask grpc.health over
 * h2c): /readyz follows grpc.health, turns 503 the moment a drain starts while calls are still
 * served, and /healthz stays 200 (liveness).
 */
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../../../gen/health/v1/health_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { startTestServer } from "../harness.js";

async function get(url: string): Promise<{ status: number; body: unknown; cacheControl: string | null }> {
  const res = await fetch(url);
  return { status: res.status, body: await res.json(), cacheControl: res.headers.get("cache-control") };
}

describe("GET /readyz and /healthz", () => {
  it("say ready while SERVING, and 503 during the drain while RPCs are still answered", async () => {
    const server = await startTestServer({ TESSERA_DRAIN_SECONDS: "2" });
    let stopped: Promise<void> | undefined;
    try {
      expect(await get(`${server.baseUrl}/readyz`)).toEqual({ status: 200, body: { status: "ready" }, cacheControl: "no-store" });
      expect(await get(`${server.baseUrl}/healthz`)).toEqual({ status: 200, body: { status: "ok" }, cacheControl: "no-store" });
      const head = await fetch(`${server.baseUrl}/readyz`, { method: "HEAD" });
      expect(head.status).toBe(200);

      // One HTTP/2 session opened before the drain, as a load balancer's pooled connection.
      const transport = createGrpcTransport({ baseUrl: server.baseUrl });
      const health = createClient(Health, transport);
      const auth = createClient(AuthService, transport);
      expect((await health.check({ service: "" })).status).toBe(ServingStatus.SERVING);

      stopped = server.stop();
      expect(await get(`${server.baseUrl}/readyz`)).toEqual({
        status: 503,
        body: { code: "unavailable", message: "shutting down" },
        cacheControl: "no-store",
      });
      expect((await get(`${server.baseUrl}/healthz`)).status).toBe(200);
      expect((await health.check({ service: "" })).status).toBe(ServingStatus.NOT_SERVING);
      // Still served: the balancer has time to notice before any connection is told to go.
      expect((await auth.getJwks({})).keys.length).toBeGreaterThan(0);
      await stopped;
    } finally {
      await (stopped ?? server.stop());
    }
  });
});
