// What web/server.ts hands Next.js: one client address derived from the socket (or a trusted
// proxy's X-Forwarded-For), and no forwarding header a direct client made up.
import type { IncomingHttpHeaders } from "node:http";
import { describe, expect, it } from "vitest";
import { trustedProxyList } from "../../services/shared/client-ip.js";
import { isLoopback, rewriteForwardedHeaders } from "../lib/server/forwarded-headers.js";

const spoofed = (): IncomingHttpHeaders => ({
  host: "app.example.com",
  "x-forwarded-for": "203.0.113.9, 198.51.100.1",
  "x-forwarded-host": "evil.example",
  "x-forwarded-proto": "https",
  "x-forwarded-port": "443",
  forwarded: "for=203.0.113.9;host=evil.example",
  "x-real-ip": "203.0.113.9",
  "user-agent": "ua",
});

describe("rewriteForwardedHeaders", () => {
  it("replaces everything a direct client sends with the socket address", () => {
    const h = spoofed();
    expect(rewriteForwardedHeaders(h, "::ffff:192.0.2.10", trustedProxyList([]))).toBe("192.0.2.10");
    expect(h).toEqual({ host: "app.example.com", "x-forwarded-for": "192.0.2.10", "user-agent": "ua" });
  });

  it("ignores a client's headers when the peer is not one of the configured proxies", () => {
    const h = spoofed();
    expect(rewriteForwardedHeaders(h, "192.0.2.10", trustedProxyList(["10.0.0.0/8"]))).toBe("192.0.2.10");
    expect(h["x-forwarded-for"]).toBe("192.0.2.10");
    expect(h["x-forwarded-host"]).toBeUndefined();
  });

  it("believes a configured proxy: rightmost untrusted hop, and its host and scheme", () => {
    const h = spoofed();
    expect(rewriteForwardedHeaders(h, "10.0.0.2", trustedProxyList(["10.0.0.0/8"]))).toBe("198.51.100.1");
    expect(h["x-forwarded-for"]).toBe("198.51.100.1");
    expect(h["x-forwarded-host"]).toBe("evil.example");
    expect(h["x-forwarded-proto"]).toBe("https");
    expect(h.forwarded).toBeUndefined();
  });

  it("leaves no address when the socket has none", () => {
    const h = spoofed();
    expect(rewriteForwardedHeaders(h, undefined, trustedProxyList([]))).toBe("");
    expect(h["x-forwarded-for"]).toBeUndefined();
  });
});

describe("isLoopback", () => {
  it("is this machine only", () => {
    for (const ip of ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"]) expect(isLoopback(ip), ip).toBe(true);
    for (const ip of ["", "10.0.0.1", "192.0.2.1", "::", "fe80::1", "127.0.0.1.evil", "0.0.0.0"]) expect(isLoopback(ip), ip).toBe(false);
  });
});
