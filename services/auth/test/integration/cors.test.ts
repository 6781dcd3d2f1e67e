/**
 * CORS for the web app calling the service from the browser (connect-web): an exact allowlist of
 * origins (TESSERA_CORS_ORIGINS, by default the origin of TESSERA_WEB_URL). Real HTTP requests,
 * made the way a browser makes them: a preflight, then the actual call with its Origin.
 */
import http2 from "node:http2";
import { cors } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/config.js";
import { startTestServer, type TestServer } from "../harness.js";
import { signUp } from "./user-fixtures.js";

const APP = "https://app.example.com";
const LOCAL = "http://localhost:3000";
const EVIL = "https://evil.example.net";
const AUTH_RPC = "/tessera.auth.v1.AuthService";
const USER_RPC = "/tessera.user.v1.UserService";

/** Every Access-Control-* header of a response, names lowercased. */
function corsHeaders(res: Response): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => name.startsWith("access-control-")));
}

/** A comma-separated header as a lowercased list. */
const list = (value: string | null) => (value ?? "").split(",").map((v) => v.trim().toLowerCase()).filter(Boolean);

/** The preflight a browser sends before a Connect JSON POST carrying the access token. */
function preflight(baseUrl: string, path: string, origin: string): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,connect-protocol-version,content-type",
    },
  });
}

/** A Connect JSON unary call, as connect-web sends it. */
function connectCall(baseUrl: string, path: string, headers: Record<string, string> = {}, body: unknown = {}): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "connect-protocol-version": "1", ...headers },
    body: JSON.stringify(body),
  });
}

describe("with TESSERA_CORS_ORIGINS set", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TESSERA_CORS_ORIGINS: `${APP}, ${LOCAL}/` });
  });
  afterAll(() => server?.stop());

  describe("a preflight from a listed origin", () => {
    it.each([`${USER_RPC}/GetMe`, `${AUTH_RPC}/GetJwks`])("is answered 204 with what Connect needs, for %s", async (path) => {
      const res = await preflight(server.baseUrl, path, APP);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(APP);
      expect(list(res.headers.get("vary"))).toContain("origin");
      expect(list(res.headers.get("access-control-allow-methods"))).toEqual(cors.allowedMethods.map((m) => m.toLowerCase()));
      const allowed = list(res.headers.get("access-control-allow-headers"));
      expect(allowed).toEqual(expect.arrayContaining([...cors.allowedHeaders.map((h) => h.toLowerCase()), "authorization"]));
      expect(res.headers.get("access-control-max-age")).toBe("7200");
      expect(await res.text()).toBe("");
    });

    it("never allows the service credential header, nor credentials", async () => {
      const res = await preflight(server.baseUrl, "/tessera.adapter.v1.AdapterService/GetUser", APP);
      expect(list(res.headers.get("access-control-allow-headers"))).not.toContain("tessera-service-credential");
      expect(res.headers.get("access-control-allow-headers")).not.toContain("*");
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    });

    it("echoes each listed origin (a trailing slash in the setting does not matter)", async () => {
      const res = await preflight(server.baseUrl, `${USER_RPC}/GetMe`, LOCAL);
      expect(res.headers.get("access-control-allow-origin")).toBe(LOCAL);
    });
  });

  it.each([
    ["an unlisted origin", EVIL],
    ["a listed host on another scheme", "http://app.example.com"],
    ["a listed host on another port", "https://app.example.com:8443"],
    ["a subdomain of a listed host", "https://x.app.example.com"],
    ["the opaque origin", "null"],
  ])("a preflight from %s gets 204 without any Access-Control-* header", async (_what, origin) => {
    const res = await preflight(server.baseUrl, `${USER_RPC}/GetMe`, origin);
    expect(res.status).toBe(204);
    expect(corsHeaders(res)).toEqual({});
    expect(list(res.headers.get("vary"))).toContain("origin");
  });

  it("answers a Connect JSON call from a listed origin with its origin echoed and Connect's headers exposed", async () => {
    const res = await connectCall(server.baseUrl, `${AUTH_RPC}/GetJwks`, { origin: APP });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    expect(res.headers.get("access-control-allow-origin")).toBe(APP);
    expect(list(res.headers.get("vary"))).toContain("origin");
    expect(list(res.headers.get("access-control-expose-headers"))).toEqual(expect.arrayContaining(cors.exposedHeaders.map((h) => h.toLowerCase())));
    // A throttled call's delay is a Connect response header: scripts must be able to read it.
    expect(list(res.headers.get("access-control-expose-headers"))).toContain("retry-after");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")).toBeNull(); // preflight only
  });

  it("lets a listed origin call UserService with the access token, and read its errors", async () => {
    const me = await signUp(server, { tag: "cors" });
    const ok = await connectCall(server.baseUrl, `${USER_RPC}/GetMe`, { origin: APP, authorization: `Bearer ${me.accessToken}` });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { user: { id: string } }).user.id).toBe(me.userId);
    expect(ok.headers.get("access-control-allow-origin")).toBe(APP);

    // A Connect error (here UNAUTHENTICATED, HTTP 401) must be readable too, or the browser
    // reports a network error instead of the code.
    const denied = await connectCall(server.baseUrl, `${USER_RPC}/GetMe`, { origin: APP });
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { code: string }).code).toBe("unauthenticated");
    expect(denied.headers.get("access-control-allow-origin")).toBe(APP);
  });

  it("serves an unlisted origin's call without any Access-Control-* header (the browser withholds it)", async () => {
    const res = await connectCall(server.baseUrl, `${AUTH_RPC}/GetJwks`, { origin: EVIL });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
  });

  it("leaves calls without Origin (servers, gRPC) alone", async () => {
    const res = await connectCall(server.baseUrl, `${AUTH_RPC}/GetJwks`);
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
    // A non-browser OPTIONS is not a preflight: it reaches the router as before.
    const options = await fetch(`${server.baseUrl}${AUTH_RPC}/GetJwks`, { method: "OPTIONS" });
    expect(options.status).not.toBe(204);
    expect(corsHeaders(options)).toEqual({});
  });

  it("covers the plain HTTP routes and unknown paths the same way", async () => {
    for (const path of ["/.well-known/jwks.json", "/avatars/nope", "/no/such/path"]) {
      const listed = await fetch(`${server.baseUrl}${path}`, { headers: { origin: APP } });
      expect(listed.headers.get("access-control-allow-origin"), path).toBe(APP);
      const unlisted = await fetch(`${server.baseUrl}${path}`, { headers: { origin: EVIL } });
      expect(corsHeaders(unlisted), path).toEqual({});
    }
  });

  it("works over HTTP/2 as well", async () => {
    const session = http2.connect(server.baseUrl);
    try {
      const headers = await new Promise<http2.IncomingHttpHeaders>((resolve, reject) => {
        const req = session.request({ ":method": "POST", ":path": `${AUTH_RPC}/GetJwks`, "content-type": "application/json", origin: APP });
        req.on("response", (h) => {
          req.resume();
          req.on("end", () => resolve(h));
        });
        req.on("error", reject);
        req.end("{}");
      });
      expect(headers[":status"]).toBe(200);
      expect(headers["access-control-allow-origin"]).toBe(APP);
      expect(headers["vary"]).toMatch(/origin/i);
    } finally {
      session.close();
    }
  });
});

describe("by default", () => {
  const WEB = "http://web.test:4000";
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TESSERA_WEB_URL: `${WEB}/app/` });
  });
  afterAll(() => server?.stop());

  it("allows the origin of TESSERA_WEB_URL, and only it", async () => {
    const pre = await preflight(server.baseUrl, `${USER_RPC}/GetMe`, WEB);
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(WEB);
    const res = await connectCall(server.baseUrl, `${AUTH_RPC}/GetJwks`, { origin: WEB });
    expect(res.headers.get("access-control-allow-origin")).toBe(WEB);
    expect(corsHeaders(await preflight(server.baseUrl, `${USER_RPC}/GetMe`, LOCAL))).toEqual({});
  });
});

describe("TESSERA_CORS_ORIGINS in loadConfig", () => {
  const PRODUCTION = {
    TESSERA_ENV: "production",
    DATABASE_URL: "postgresql://tessera:pw@db.internal:5432/tessera",
    TESSERA_ISSUER: "https://auth.example.com",
    TESSERA_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
    TESSERA_SERVICE_CREDENTIAL: "a-real-service-credential-of-enough-length-0123456789",
    SMTP_URL: "smtps://mailer:pw@smtp.example.com:465",
  };

  /** The problems loadConfig reports for `env`; fails if it is accepted. */
  function problems(env: Record<string, string>): string[] {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
    return expect.fail(`accepted ${JSON.stringify(env)}`);
  }

  it("defaults to the origin of TESSERA_WEB_URL outside production", () => {
    expect(loadConfig({ TESSERA_ENV: "development" }).corsOrigins).toEqual([LOCAL]);
    expect(loadConfig({ TESSERA_ENV: "test" }).corsOrigins).toEqual([LOCAL]);
    expect(loadConfig({ TESSERA_ENV: "development", TESSERA_WEB_URL: "https://app.example.com/tessera/" }).corsOrigins).toEqual([APP]);
  });

  it("in production, defaults to the origin of an explicit TESSERA_WEB_URL, else to nothing", () => {
    expect(loadConfig(PRODUCTION).corsOrigins).toEqual([]);
    expect(loadConfig({ ...PRODUCTION, TESSERA_WEB_URL: "" }).corsOrigins).toEqual([]); // empty means unset
    expect(loadConfig({ ...PRODUCTION, TESSERA_WEB_URL: `${APP}/login` }).corsOrigins).toEqual([APP]);
  });

  it("when set, replaces the default entirely", () => {
    const env = { TESSERA_ENV: "development", TESSERA_WEB_URL: LOCAL, TESSERA_CORS_ORIGINS: ` ${APP} ,https://admin.example.com:8443,http://[::1]:3000/ ` };
    expect(loadConfig(env).corsOrigins).toEqual([APP, "https://admin.example.com:8443", "http://[::1]:3000"]);
    expect(loadConfig({ ...PRODUCTION, TESSERA_CORS_ORIGINS: APP }).corsOrigins).toEqual([APP]);
  });

  it.each([
    ["a wildcard", "*", /wildcard/],
    ["a wildcard subdomain", "https://*.example.com", /wildcard/],
    ["a path", "https://app.example.com/login", /not an origin.*did you mean https:\/\/app\.example\.com\?/],
    ["a query", "https://app.example.com?x=1", /not an origin/],
    ["user info", "https://user@app.example.com", /not an origin/],
    ["a default port", "https://app.example.com:443", /did you mean https:\/\/app\.example\.com\?/],
    ["upper case", "https://App.Example.com", /did you mean https:\/\/app\.example\.com\?/],
    ["not a URL", "app.example.com", /not a URL/],
    ["the opaque origin", "null", /not a URL/],
    ["another scheme", "ftp://files.example.com", /http or https/],
  ])("refuses %s with a clear message", (_what, entry, message) => {
    const found = problems({ TESSERA_ENV: "development", TESSERA_CORS_ORIGINS: `${APP},${entry}` });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^TESSERA_CORS_ORIGINS: /);
    expect(found[0]).toMatch(message);
  });

  it("names every bad entry at once, with the other problems", () => {
    const found = problems({ TESSERA_ENV: "development", TESSERA_CORS_ORIGINS: "*,https://a.example.com/x", TESSERA_AUTH_PORT: "nope" });
    expect(found.map((p) => p.split(":")[0]).sort()).toEqual(["TESSERA_AUTH_PORT", "TESSERA_CORS_ORIGINS", "TESSERA_CORS_ORIGINS"]);
  });
});
