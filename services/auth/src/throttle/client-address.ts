import { isIP } from "node:net";

/**
 * The subject per-IP rules count against: an IPv4 address as is (also when written
 * IPv4-mapped, ::ffff:a.b.c.d), an IPv6 address by its /64 prefix, since one client usually
 * holds a whole /64 and could otherwise rotate addresses freely. Anything else (an empty string
 * for an unknown peer) is returned unchanged.
 */
export function addressSubject(ip: string): string {
  const address = ip.split("%")[0]!; // drop an IPv6 zone (fe80::1%eth0)
  if (isIP(address) !== 6) return ip;
  const h = hextets(address);
  if (h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff) {
    return [h[6]! >> 8, h[6]! & 0xff, h[7]! >> 8, h[7]! & 0xff].join(".");
  }
  return `${h.slice(0, 4).map((x) => x.toString(16)).join(":")}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address ("::" expanded, a dotted IPv4 tail converted). */
function hextets(address: string): number[] {
  let s = address.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    s = `${s.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = s.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((x) => parseInt(x, 16));
}
