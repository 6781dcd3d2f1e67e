import { OVERALL_SERVICE, ServingStatus, type HealthStatus } from "../grpc/health.js";
import { sendJson, type HttpRoute } from "./http-routes.js";

/**
 * `GET /readyz` and `GET /healthz`: the grpc.health status as plain HTTP, for load balancers that
 * cannot speak grpc.health over h2c (HAProxy's `option httpchk`, most cloud load balancers) and
 * for Kubernetes probes without grpc support.
 *   /readyz  200 {"status":"ready"} while the whole server ("") is SERVING; 503 while the
 *            database probe fails and from the first moment of a drain (SIGTERM), so a
 *            balancer stops sending new calls before connections are closed.
 *   /healthz 200 {"status":"ok"} while the process answers at all (liveness: never restart a
 *            replica just because PostgreSQL is away).
 */
export function readinessRoutes(health: HealthStatus): HttpRoute[] {
  const noStore = { "cache-control": "no-store" };
  return [
    {
      method: "GET",
      path: /^\/readyz$/,
      route: "/readyz",
      async handle(_req, res) {
        if (health.get(OVERALL_SERVICE) === ServingStatus.SERVING) sendJson(res, 200, { status: "ready" }, noStore);
        else sendJson(res, 503, { code: "unavailable", message: health.isShutDown ? "shutting down" : "not serving" }, noStore);
      },
    },
    {
      method: "GET",
      path: /^\/healthz$/,
      route: "/healthz",
      async handle(_req, res) {
        sendJson(res, 200, { status: "ok" }, noStore);
      },
    },
  ];
}
