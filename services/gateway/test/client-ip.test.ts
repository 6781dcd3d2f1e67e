import { describe, expect, it } from "vitest";
import { clientIp } from "../../shared/client-ip.js";
import { ConfigError, loadGatewayConfig, trustedProxyList } from "../src/config.js";

describe("clientIp", () => {
  const trusted = trustedProxyList(["10.0.0.1", "10.1.0.0/16", "fd00::1"]);

  it("ignores X-Forwarded-For from an untrusted peer", () => {
    expect(clientIp("203.0.113.9", "1.2.3.4", trusted)).toBe("203.0.113.9");
    expect(clientIp("::ffff:203.0.113.9", "1.2.3.4, 10.0.0.1", trusted)).toBe("203.0.113.9");
    expect(clientIp("127.0.0.1", "1.2.3.4", trustedProxyList([]))).toBe("127.0.0.1");
  });

  it("takes the rightmost untrusted hop behind trusted proxies", () => {
    expect(clientIp("10.0.0.1", "198.51.100.7", trusted)).toBe("198.51.100.7");
    expect(clientIp("::ffff:10.0.0.1", "6.6.6.6, 198.51.100.7, 10.1.2.3", trusted)).toBe("198.51.100.7");
    expect(clientIp("fd00::1", "2001:db8::5", trusted)).toBe("2001:db8::5");
    expect(clientIp("10.0.0.1", ["6.6.6.6", "198.51.100.7"], trusted)).toBe("198.51.100.7");
  });

  it("stops at a malformed hop and falls back to what a trusted proxy vouched for", () => {
    expect(clientIp("10.0.0.1", "evil, 10.1.0.9", trusted)).toBe("10.1.0.9");
    expect(clientIp("10.0.0.1", "not-an-ip", trusted)).toBe("10.0.0.1");
    expect(clientIp("10.0.0.1", undefined, trusted)).toBe("10.0.0.1");
    expect(clientIp("10.0.0.1", "10.1.0.2, 10.1.0.3", trusted)).toBe("10.1.0.2");
  });
});

describe("loadGatewayConfig", () => {
  it("has the documented defaults", () => {
    expect(loadGatewayConfig({ TESSERA_ENV: "development" })).toMatchObject({
      host: "127.0.0.1",
      port: 8080,
      authUrl: "http://127.0.0.1:50051",
      issuer: "http://localhost:50051",
      audience: "tessera",
      corsOrigins: [],
      trustedProxies: [],
    });
  });

  it("lists every problem at once", () => {
    try {
      loadGatewayConfig({ TESSERA_ENV: "development", GATEWAY_PORT: "99999", GATEWAY_TRUSTED_PROXIES: "10.0.0.1, nope", GATEWAY_CORS_ORIGINS: "https://a.example.com/path" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join("\n");
      expect(problems).toMatch(/GATEWAY_PORT/);
      expect(problems).toMatch(/GATEWAY_TRUSTED_PROXIES/);
      expect(problems).toMatch(/GATEWAY_CORS_ORIGINS/);
    }
  });

  it("parses lists", () => {
    const c = loadGatewayConfig({ TESSERA_ENV: "development", GATEWAY_CORS_ORIGINS: "https://a.example.com, http://localhost:3000", GATEWAY_TRUSTED_PROXIES: "10.0.0.1,10.0.0.0/8,::1" });
    expect(c.corsOrigins).toEqual(["https://a.example.com", "http://localhost:3000"]);
    expect(c.trustedProxies).toEqual(["10.0.0.1", "10.0.0.0/8", "::1"]);
  });
});

describe("toHttpError", () => {
  it("maps every listed Connect code, keeps Retry-After and never leaks internals", async () => {
    const { Code, ConnectError } = await import("@connectrpc/connect");
    const { toHttpError } = await import("../src/errors.js");
    const expected: [number, number, string][] = [
      [Code.InvalidArgument, 400, "invalid_argument"],
      [Code.Unauthenticated, 401, "unauthenticated"],
      [Code.PermissionDenied, 403, "permission_denied"],
      [Code.NotFound, 404, "not_found"],
      [Code.AlreadyExists, 409, "already_exists"],
      [Code.FailedPrecondition, 409, "failed_precondition"],
      [Code.ResourceExhausted, 429, "resource_exhausted"],
      [Code.Unimplemented, 501, "unimplemented"],
      [Code.Unavailable, 503, "unavailable"],
      [Code.Internal, 500, "internal"],
      [Code.DataLoss, 500, "data_loss"],
    ];
    for (const [code, status, name] of expected) {
      const e = toHttpError(new ConnectError("secret detail at 10.0.0.7", code));
      expect([e.status, e.code], name).toEqual([status, name]);
      if (status >= 500) expect(e.message).not.toContain("10.0.0.7");
    }
    const limited = toHttpError(new ConnectError("slow down", Code.ResourceExhausted, { "retry-after": "42" }));
    expect(limited.headers["retry-after"]).toBe("42");
    expect(toHttpError(new ConnectError("slow down", Code.ResourceExhausted)).headers["retry-after"]).toBe("1");
    expect(toHttpError(new Error("boom\n    at x.ts:1:1")).body()).toEqual({
      type: "about:blank",
      title: "Internal Server Error",
      status: 500,
      detail: "internal error",
      code: "internal",
      reason: "server.internal",
      message: "internal error",
    });
    // Without an ErrorDetail (the transport's own errors), the reason comes from the code.
    expect(toHttpError(new ConnectError("connect ECONNREFUSED 10.0.0.7:50051", Code.Unavailable)).reason).toBe("server.unavailable");
  });
});
