import type { ServerResponse } from "node:http";
import { cors } from "@connectrpc/connect";
import type { HttpRequest, HttpResponse } from "../http/http-routes.js";

/** How long a browser may cache a preflight answer (browsers cap it: Chromium at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/**
 * What a listed origin's scripts may send. Connect, gRPC-Web and the access token only: never
 * `tessera-service-credential` (AdapterService is for servers, not browsers), and never
 * credentials (there are no cookies; the access token travels in Authorization).
 */
const ALLOW_METHODS = cors.allowedMethods.join(", ");
const ALLOW_HEADERS = [...cors.allowedHeaders, "Authorization"].join(", ");
/**
 * What a listed origin's scripts may read: Connect's and gRPC-Web's headers, the request id, and
 * a throttled call's retry delay (a header in the Connect protocol; gRPC-Web sends it in the body).
 */
const EXPOSE_HEADERS = [...cors.exposedHeaders, "X-Request-Id", "Retry-After"].join(", ");

/**
 * CORS for browsers calling the service directly (connect-web), by an exact allowlist of
 * origins (TESSERA_CORS_ORIGINS). Runs before anything else on every request, so it covers every
 * RPC path and the plain HTTP routes alike. Returns true when it has answered the request itself
 * (a preflight); the caller then stops.
 *
 * - No Origin header (servers, gRPC clients, curl): nothing changes but `Vary: Origin`.
 * - A listed Origin: the response names that origin in Access-Control-Allow-Origin and exposes
 *   Connect's headers; a preflight gets 204 with the methods and headers allowed.
 * - Any other Origin: no Access-Control-* header at all, so the browser withholds the response;
 *   a preflight still gets 204 (without the headers it fails in the browser, as it should).
 *
 * `Vary: Origin` goes on every response: whether the CORS headers are there depends on Origin,
 * and a shared cache must not hand a response fetched without Origin (e.g. the JWKS, cacheable
 * for minutes) to a browser, or the other way round.
 */
export function corsHandler(allowedOrigins: readonly string[]): (req: HttpRequest, res: HttpResponse) => boolean {
  const allowed = new Set(allowedOrigins);
  return (req, res) => {
    res.setHeader("Vary", "Origin");
    const origin = req.headers.origin;
    const listed = typeof origin === "string" && allowed.has(origin);
    const preflight = req.method === "OPTIONS" && origin !== undefined && req.headers["access-control-request-method"] !== undefined;
    if (listed) res.setHeader("Access-Control-Allow-Origin", origin);
    if (!preflight) {
      if (listed) res.setHeader("Access-Control-Expose-Headers", EXPOSE_HEADERS);
      return false;
    }
    if (listed) {
      res.setHeader("Access-Control-Allow-Methods", ALLOW_METHODS);
      res.setHeader("Access-Control-Allow-Headers", ALLOW_HEADERS);
      res.setHeader("Access-Control-Max-Age", String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    (res as unknown as ServerResponse).writeHead(204);
    res.end();
    return true;
  };
}
