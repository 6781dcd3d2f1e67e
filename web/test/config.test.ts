// The web app's configuration: production refuses development secrets, and sign-in providers
// appear only when fully configured.
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_SERVICE_CREDENTIAL, loadWebConfig } from "../lib/server/web-config.js";

const secrets = { TESSERA_SERVICE_CREDENTIAL: "s".repeat(40), NEXTAUTH_SECRET: "n".repeat(40) };

describe("loadWebConfig", () => {
  it("runs locally with no configuration at all", () => {
    const cfg = loadWebConfig({});
    expect(cfg.production).toBe(false);
    expect(cfg.serviceCredential).toBe(DEVELOPMENT_SERVICE_CREDENTIAL);
    expect(cfg.authUrl).toBe("http://127.0.0.1:50051");
    expect(cfg.publicAuthUrl).toBe(cfg.authUrl);
    expect(cfg.google).toBeUndefined();
    expect(cfg.oidc).toBeUndefined();
  });

  it("refuses the development secrets in production, naming each", () => {
    expect(() => loadWebConfig({ NODE_ENV: "production" })).toThrow(/TESSERA_SERVICE_CREDENTIAL, NEXTAUTH_SECRET/);
    expect(() => loadWebConfig({ NODE_ENV: "production", NEXTAUTH_SECRET: secrets.NEXTAUTH_SECRET })).toThrow(/TESSERA_SERVICE_CREDENTIAL/);
    expect(loadWebConfig({ NODE_ENV: "production", ...secrets }).production).toBe(true);
  });

  it("lets `next start` run as a local development deployment only when told so", () => {
    expect(loadWebConfig({ NODE_ENV: "production", TESSERA_APP_ENV: "development" }).production).toBe(false);
    expect(() => loadWebConfig({ NODE_ENV: "development", TESSERA_APP_ENV: "production" })).toThrow(/development secrets/);
  });

  it("rejects short secrets and non-http URLs with the variable named", () => {
    expect(() => loadWebConfig({ NEXTAUTH_SECRET: "short" })).toThrow(/NEXTAUTH_SECRET/);
    expect(() => loadWebConfig({ TESSERA_AUTH_URL: "ftp://example.com" })).toThrow(/TESSERA_AUTH_URL/);
  });

  it("offers Google and the OpenID provider only when id and secret are both set", () => {
    expect(loadWebConfig({ GOOGLE_CLIENT_ID: "id" }).google).toBeUndefined();
    expect(loadWebConfig({ GOOGLE_CLIENT_ID: "id", GOOGLE_CLIENT_SECRET: "secret" }).google).toEqual({ clientId: "id", clientSecret: "secret" });
    expect(loadWebConfig({ TESSERA_OIDC_ISSUER: "https://idp.example.com/", TESSERA_OIDC_CLIENT_ID: "id" }).oidc).toBeUndefined();
    expect(
      loadWebConfig({ TESSERA_OIDC_ISSUER: "https://idp.example.com/", TESSERA_OIDC_CLIENT_ID: "id", TESSERA_OIDC_CLIENT_SECRET: "s" }).oidc,
    ).toEqual({ issuer: "https://idp.example.com", clientId: "id", clientSecret: "s", name: "OpenID Connect" });
  });
});
