import "server-only";
import { isIP } from "node:net";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function get(h: HeaderBag, name: string): string | undefined {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

/**
 * The browser's user agent and address, to relay to the auth service (which believes a relayed
 * x-forwarded-for only from a caller holding the service credential). The address is the one
 * web/server.ts derived from the socket and wrote into x-forwarded-for, replacing whatever the
 * client sent (lib/server/forwarded-headers.ts); `next start`, which would keep a client's
 * header, refuses to serve this app (next.config.ts). Anything but one address is ignored.
 */
export function clientInfo(h: HeaderBag): { userAgent: string; ipAddress: string } {
  const value = (get(h, "x-forwarded-for") ?? "").trim();
  return { userAgent: (get(h, "user-agent") ?? "").slice(0, 512), ipAddress: isIP(value) ? value : "" };
}

/** The same as request headers for an RPC (see services/auth request-context.ts). */
export function relayHeaders(h: HeaderBag): Record<string, string> {
  const { userAgent, ipAddress } = clientInfo(h);
  return { "user-agent": userAgent, ...(ipAddress ? { "x-forwarded-for": ipAddress } : {}) };
}
