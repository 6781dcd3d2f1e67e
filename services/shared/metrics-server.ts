import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";
import type { MetricsListen } from "./metrics-config.js";

/** The /metrics listener of one process. */
export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `registry` at GET /metrics on a listener of its own (never the public port, so a
 * misrouted proxy cannot expose it). With a token, a request must carry
 * `Authorization: Bearer <token>`; anything else gets 401. Every other path is 404.
 */
export async function startMetricsServer(registry: Registry, listen: MetricsListen, token: string | undefined): Promise<MetricsServer> {
  // Compared as digests: equal length whatever was sent, so the compare is constant-time.
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  const server = http.createServer((req, res) => {
    res.setHeader("cache-control", "no-store");
    if ((req.url ?? "").split("?")[0] !== "/metrics") return plain(res, 404, "not found\n");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      return plain(res, 405, "method not allowed\n");
    }
    if (expected !== undefined && !timingSafeEqual(digest(req.headers.authorization ?? ""), expected)) {
      res.setHeader("www-authenticate", 'Bearer realm="metrics"');
      return plain(res, 401, "unauthorized\n");
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": registry.contentType });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      () => plain(res, 500, "metrics unavailable\n"),
    );
  });
  // Scrapers keep connections open; a short keep-alive lets close() finish promptly.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen.port, listen.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function plain(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(body);
}
