import { isIP, type BlockList } from "node:net";

/** IPv4 clients of a dual-stack socket show up as ::ffff:a.b.c.d. */
export function normalizeIp(raw: string): string {
  const ip = raw.trim();
  return ip.toLowerCase().startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

function isTrusted(ip: string, trusted: BlockList): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  return trusted.check(ip, family === 6 ? "ipv6" : "ipv4");
}

/**
 * The client's IP address. X-Forwarded-For is read only when the TCP peer is a trusted proxy;
 * then the list is walked from the right (the hop the peer saw) past every trusted proxy, and
 * the first untrusted hop is the client. A malformed entry ends the walk: the last address a
 * trusted proxy vouched for is used. Anything an untrusted peer sends is ignored.
 */
export function clientIp(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: BlockList): string {
  let current = normalizeIp(peer ?? "");
  if (!isTrusted(current, trusted) || forwardedFor === undefined) return current;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeIp(hops[i]!);
    if (isIP(hop) === 0) return current;
    current = hop;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return current;
}
