// What web/server.ts does to every request before Next.js sees it: the client address comes
// from the socket (or from a configured proxy's X-Forwarded-For), and nothing else a client
// sends about addresses, hosts or schemes reaches the app. Next.js only fills these headers
// when they are missing (`x-forwarded-for ??= socket address`), so a browser could otherwise
// choose them. No server-only guard: web/server.ts runs outside the React server build.
import type { IncomingHttpHeaders } from "node:http";
import { isIP, type BlockList } from "node:net";
import { clientIp, isTrustedPeer, normalizeIp } from "../../../services/shared/client-ip";

/** Headers a proxy sets to describe the original request; believed only from a trusted proxy. */
const PROXY_ONLY = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded", "x-real-ip"] as const;

/**
 * Rewrites `headers` in place: `x-forwarded-for` becomes the one client address derived by the
 * shared rule (services/shared/client-ip.ts, as in the gateway), and the other forwarding
 * headers are dropped unless the socket peer is a trusted proxy. Returns the client address.
 */
export function rewriteForwardedHeaders(headers: IncomingHttpHeaders, peer: string | undefined, trusted: BlockList): string {
  const ip = clientIp(peer, headers["x-forwarded-for"], trusted);
  const peerTrusted = isTrustedPeer(peer, trusted);
  delete headers["x-forwarded-for"];
  // `Forwarded` (RFC 7239) is never read here; dropping it even from a proxy keeps one source.
  delete headers.forwarded;
  if (!peerTrusted) for (const name of PROXY_ONLY) delete headers[name];
  if (isIP(ip)) headers["x-forwarded-for"] = ip;
  return ip;
}

/** True for 127.0.0.0/8 and ::1 (the development mailbox answers these only). */
export { isLoopback } from "../../../services/shared/client-ip";
