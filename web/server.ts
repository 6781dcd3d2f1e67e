// The web app's production server (`npm start`, the browser tests): Next.js behind node:http,
// so the client address comes from the socket. `next start` keeps a client-sent
// X-Forwarded-For, which the app would relay to the auth service as the client's address;
// here every request's forwarding headers are rewritten first (lib/server/forwarded-headers.ts).
// Run with the repository's tsx: `node --import tsx web/server.ts`.
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { trustedProxyList } from "../services/shared/client-ip";
import { rewriteForwardedHeaders } from "./lib/server/forwarded-headers";
import { withRequestTrace } from "./lib/server/request-trace";
import { WEB_SERVER_MARK } from "./lib/server/server-mark";
import { loadWebConfig, type WebConfig } from "./lib/server/web-config";

// Next serves the production build; NODE_ENV only says how the code was built (TESSERA_ENV
// says whether development secrets are allowed), so it is production whatever the shell set.
(process.env as Record<string, string>).NODE_ENV = "production";

const dir = path.dirname(fileURLToPath(import.meta.url));

function config(): WebConfig {
  try {
    return loadWebConfig();
  } catch (err) {
    process.stderr.write(`tessera web: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
const cfg = config();
const trusted = trustedProxyList(cfg.trustedProxies);
// HSTS only where a browser can honour it and a mistake cannot lock out plain-http development:
// production over https (as Auth0 and Keycloak's docs advise, two years with subdomains).
const hsts = cfg.production && cfg.appOrigin?.startsWith("https://");

(globalThis as Record<symbol, unknown>)[WEB_SERVER_MARK] = true;
const { default: next } = await import("next");
const app = next({ dev: false, dir, hostname: cfg.host, port: cfg.port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((req, res) => {
  rewriteForwardedHeaders(req.headers, req.socket.remoteAddress, trusted);
  if (hsts) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
  // Calls to the auth service made while handling this request carry its trace (rpc.ts).
  withRequestTrace(req.headers, () => handle(req, res)).catch((err: unknown) => {
    console.error("tessera web: request failed", err);
    if (!res.headersSent) res.writeHead(500).end();
    else res.destroy();
  });
});
server.listen(cfg.port, cfg.host, () => {
  const a = server.address();
  const port = a && typeof a === "object" ? a.port : cfg.port;
  process.stdout.write(
    `tessera web: listening on http://${cfg.host.includes(":") ? `[${cfg.host}]` : cfg.host}:${port} in ${cfg.env} mode` +
      `${cfg.production ? "" : " (development secrets and the mailbox are on)"}; trusted proxies: ${cfg.trustedProxies.join(", ") || "none"}\n`,
  );
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close(() => void app.close().finally(() => process.exit(0)));
  server.closeIdleConnections();
  // Keep-alive browsers must not hold the process open.
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
