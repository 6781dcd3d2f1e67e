import type { ServerResponse } from "node:http";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { Logger } from "../config/logger.js";
import { currentServerSpan } from "../../../shared/server-span.js";

type Fallback = NonNullable<ConnectNodeAdapterOptions["fallback"]>;
/** The request and response of a plain HTTP route (HTTP/1.1 or HTTP/2). */
export type HttpRequest = Parameters<Fallback>[0];
export type HttpResponse = Parameters<Fallback>[1];

/** A plain HTTP route served next to the RPCs on the same port. */
export interface HttpRoute {
  method: "GET" | "POST";
  /** Matched against the path without the query string. */
  path: RegExp;
  /** The path as a template ("/avatars/{key}"): the request span's name and http.route. */
  route: string;
  handle(req: HttpRequest, res: HttpResponse, match: RegExpExecArray, url: URL): Promise<void>;
}

/** Writes a JSON response. */
export function sendJson(res: HttpResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  const r = res as unknown as ServerResponse;
  r.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json), ...headers });
  r.end(json);
}

/**
 * Connect's fallback handler: the first route whose method and path match answers (GET
 * routes answer HEAD too); anything else is a JSON 404. A route that throws gets a JSON 500
 * without details; the error is logged.
 */
export function httpFallback(routes: HttpRoute[], logger: Logger): Fallback {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    for (const route of routes) {
      const methodOk = req.method === route.method || (route.method === "GET" && req.method === "HEAD");
      const match = methodOk ? route.path.exec(url.pathname) : null;
      if (!match) continue;
      currentServerSpan()?.nameRoute(route.method, route.route);
      route.handle(req, res, match, url).catch((err) => {
        logger.error({ err, path: url.pathname }, "http route failed");
        if (!res.headersSent) sendJson(res, 500, { code: "internal", message: "internal error" });
        else res.destroy();
      });
      return;
    }
    sendJson(res, 404, { code: "not_found", message: "no such route" });
  };
}
