import type { Logger } from "../config/logger.js";
import type { KeyRing } from "../token/key-ring.js";
import { sendJson, type HttpRoute } from "./http-routes.js";

/** `GET /.well-known/jwks.json`: the access-token keys for verifiers that are not Connect clients. */
export function jwksRoute(keys: KeyRing, logger: Logger): HttpRoute {
  return {
    method: "GET",
    path: /^\/\.well-known\/jwks\.json$/,
    route: "/.well-known/jwks.json",
    async handle(_req, res) {
      try {
        sendJson(res, 200, { keys: await keys.publicJwks() }, { "cache-control": "public, max-age=300" });
      } catch (err) {
        logger.warn({ err: String(err) }, "jwks unavailable");
        sendJson(res, 503, { code: "unavailable", message: "keys temporarily unavailable" });
      }
    },
  };
}
