// The client address rule every HTTP tier shares (gateway, web app): the socket peer, or the
// X-Forwarded-For hop a configured proxy vouches for. One implementation, so the tiers cannot
// drift apart on what they believe.
import { BlockList, isIP } from "node:net";
import { z } from "zod";

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

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * Whether an address is this machine's loopback (127.0.0.0/8, ::1, or 127.x as an IPv4-mapped
 * IPv6 address). Give it a socket's peer address or an address derived by {@link clientIp},
 * never a header's word: the development mailboxes answer loopback only.
 */
export function isLoopback(address: string | undefined): boolean {
  return isTrustedPeer(address, LOOPBACK);
}

/** Whether a socket's peer address (IPv4 possibly as ::ffff:a.b.c.d) is in the trusted-proxy list. */
export function isTrustedPeer(peer: string | undefined, trusted: BlockList): boolean {
  return isTrusted(normalizeIp(peer ?? ""), trusted);
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

/** True for an IP address or a CIDR block (10.0.0.1, 10.0.0.0/8, fd00::/8). */
export function isAddressOrCidr(value: string): boolean {
  const [addr, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || !addr) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * A comma-separated list of trusted proxies (IPs or CIDRs), empty by default: the shape of
 * GATEWAY_TRUSTED_PROXIES and TESSERA_WEB_TRUSTED_PROXIES.
 */
export const trustedProxiesSchema = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean))
  .pipe(z.array(z.string().refine(isAddressOrCidr, "must be an IP address or CIDR (e.g. 10.0.0.1 or 10.0.0.0/8)")));

/** A BlockList (used as an allow list) of the trusted proxies. */
export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, prefix] = entry.split("/") as [string, string | undefined];
    const type = isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(prefix), type);
  }
  return list;
}
