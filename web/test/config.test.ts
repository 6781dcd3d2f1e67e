// The web app's configuration: it runs as production unless development is asked for
// explicitly, production refuses development secrets, and sign-in providers appear only when
// fully configured.
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SERVICE_CREDENTIAL, loadWebConfig } from "../lib/server/web-config.js";

const load = loadWebConfig;

const secrets = { TESSERA_SERVICE_CREDENTIAL: "s".repeat(40), NEXTAUTH_SECRET: "n".repeat(40), NEXTAUTH_URL: "https://app.example.com" };

describe("loadWebConfig", () => {
  it("runs locally with no configuration but TESSERA_ENV=development", () => {
    const cfg = loadWebConfig({ TESSERA_ENV: "development" });
    expect(cfg.production).toBe(false);
    expect(cfg.env).toBe("development");
    expect(cfg.serviceCredential).toBe(DEVELOPMENT_SERVICE_CREDENTIAL);
    expect(cfg.authUrl).toBe("http://127.0.0.1:50051");
    expect(cfg.publicAuthUrl).toBe(cfg.authUrl);
    expect(cfg.google).toBeUndefined();
    expect(cfg.oidc).toBeUndefined();
  });

  it("fails closed: with no TESSERA_ENV it is production and refuses the development secrets, naming each", () => {
    expect(() => loadWebConfig({})).toThrow(/TESSERA_SERVICE_CREDENTIAL, NEXTAUTH_SECRET/);
    expect(() => loadWebConfig({ NEXTAUTH_SECRET: secrets.NEXTAUTH_SECRET })).toThrow(/TESSERA_SERVICE_CREDENTIAL/);
    expect(loadWebConfig({ ...secrets }).production).toBe(true);
    expect(loadWebConfig({ ...secrets }).env).toBe("production");
    expect(loadWebConfig({ ...secrets }).appOrigin).toBe("https://app.example.com");
  });

  it("needs the app's own URL in production, so no request header decides it", () => {
    const { NEXTAUTH_URL: _, ...noUrl } = secrets;
    expect(() => loadWebConfig(noUrl)).toThrow(/NEXTAUTH_URL/);
    expect(() => loadWebConfig({ ...secrets, NEXTAUTH_URL: "javascript:alert(1)" })).toThrow(/NEXTAUTH_URL/);
    expect(loadWebConfig({ TESSERA_ENV: "development" }).appOrigin).toBeUndefined();
  });

  it("is a development deployment only when TESSERA_ENV says so, whatever NODE_ENV says", () => {
    expect(() => loadWebConfig({ NODE_ENV: "development" })).toThrow(/development secrets/);
    expect(() => loadWebConfig({ NODE_ENV: "test" })).toThrow(/development secrets/);
    expect(() => loadWebConfig({ TESSERA_APP_ENV: "development" })).toThrow(/development secrets/);
    expect(loadWebConfig({ NODE_ENV: "production", TESSERA_ENV: "development" }).production).toBe(false);
    expect(loadWebConfig({ TESSERA_ENV: "test" }).production).toBe(false);
    expect(() => loadWebConfig({ TESSERA_ENV: "staging" })).toThrow(/TESSERA_ENV/);
  });

  it("listens on 127.0.0.1 unless told otherwise, and trusts no proxy by default", () => {
    const cfg = loadWebConfig({ ...secrets });
    expect(cfg.host).toBe("127.0.0.1");
    expect(cfg.port).toBe(3000);
    expect(cfg.trustedProxies).toEqual([]);
    const told = loadWebConfig({ ...secrets, TESSERA_WEB_HOST: "0.0.0.0", TESSERA_WEB_PORT: "8443", TESSERA_WEB_TRUSTED_PROXIES: " 10.0.0.1, 10.1.0.0/16,fd00::/8 " });
    expect([told.host, told.port]).toEqual(["0.0.0.0", 8443]);
    expect(told.trustedProxies).toEqual(["10.0.0.1", "10.1.0.0/16", "fd00::/8"]);
    expect(() => loadWebConfig({ ...secrets, TESSERA_WEB_TRUSTED_PROXIES: "10.0.0.1, proxy.internal" })).toThrow(/TESSERA_WEB_TRUSTED_PROXIES/);
    expect(() => loadWebConfig({ ...secrets, TESSERA_WEB_TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TESSERA_WEB_TRUSTED_PROXIES/);
  });

  it("rejects short secrets and non-http URLs with the variable named", () => {
    expect(() => loadWebConfig({ TESSERA_ENV: "development", NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET/);
    expect(() => loadWebConfig({ TESSERA_ENV: "development", TESSERA_AUTH_URL: "ftp://example.com" })).toThrow(/TESSERA_AUTH_URL/);
  });

  it("offers Google and the OpenID provider only when id and secret are both set", () => {
    const loadWebConfig = (env: Record<string, string>) => load({ ...secrets, ...env });
    expect(loadWebConfig({ GOOGLE_CLIENT_ID: "id" }).google).toBeUndefined();
    expect(loadWebConfig({ GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "secret" }).google).toEqual({ clientId: "id", clientSecret: "secret" });
    expect(loadWebConfig({ TESSERA_OIDC_ISSUER: "https://idp.example.com/", TESSERA_OIDC_CLIENT_ID: "id" }).oidc).toBeUndefined();
    expect(
      loadWebConfig({ TESSERA_OIDC_ISSUER: "https://idp.example.com/", TESSERA_OIDC_CLIENT_ID: "id", TESSERA_OIDC_CLIENT_SECRET: "s" }).oidc,
    ).toEqual({ issuer: "https://idp.example.com", clientId: "id", clientSecret: "s", name: "OpenID Connect" });
  });
});
