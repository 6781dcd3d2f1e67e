import type { ServerResponse } from "node:http";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { Logger } from "../config/logger.js";
import type { KeyRing } from "../token/key-ring.js";

type Fallback = NonNullable<ConnectNodeAdapterOptions["fallback"]>;
type Res = Parameters<Fallback>[1];

/**
 * Plain HTTP routes next to the RPCs: `GET /.well-known/jwks.json` for verifiers that are
 * not Connect clients. Anything else is a JSON 404.
 */
export function wellKnown(keys: KeyRing, logger: Logger) {
  const fallback: Fallback = (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path === "/.well-known/jwks.json" && (req.method === "GET" || req.method === "HEAD")) {
      keys
        .publicJwks()
        .then((jwks) => send(res, 200, { keys: jwks }, { "cache-control": "public, max-age=300" }))
        .catch((err) => {
          logger.warn({ err: String(err) }, "jwks unavailable");
          send(res, 503, { code: "unavailable", message: "keys temporarily unavailable" });
        });
      return;
    }
    send(res, 404, { code: "not_found", message: "no such route" });
  };
  return fallback;
}

function send(res: Res, status: number, body: unknown, headers: Record<string, string> = {}) {
  const json = JSON.stringify(body);
  (res as unknown as ServerResponse).writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json), ...headers });
  (res as unknown as ServerResponse).end(json);
}
