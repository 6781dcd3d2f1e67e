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
 * x-forwarded-for only from a caller holding the service credential). The address is the last
 * x-forwarded-for entry: the one the nearest proxy (Next.js itself when it is exposed directly)
 * appended; earlier entries are whatever the client chose to send.
 */
export function clientInfo(h: HeaderBag): { userAgent: string; ipAddress: string } {
  const last = (get(h, "x-forwarded-for") ?? "").split(",").pop()?.trim() ?? "";
  const ip = last.startsWith("::ffff:") ? last.slice(7) : last;
  return { userAgent: (get(h, "user-agent") ?? "").slice(0, 512), ipAddress: isIP(ip) ? ip : "" };
}

/** The same as request headers for an RPC (see services/auth request-context.ts). */
export function relayHeaders(h: HeaderBag): Record<string, string> {
  const { userAgent, ipAddress } = clientInfo(h);
  return { "user-agent": userAgent, ...(ipAddress ? { "x-forwarded-for": ipAddress } : {}) };
}
