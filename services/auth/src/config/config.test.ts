import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startMain } from "../../test/child.js";
import { ConfigError, DEVELOPMENT_SECRETS, loadConfig } from "./config.js";

/** The ConfigError thrown for `env`; fails if the environment is accepted. */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  return expect.fail(`accepted ${JSON.stringify(env)}`);
}

/** The variables a ConfigError names, in order. */
const named = (err: ConfigError) => err.problems.map((p) => p.split(":")[0]);

/** Development mode asked for by name, as `npm start` does. */
const DEV = { TESSERA_ENV: "development" };

const PRODUCTION = {
  TESSERA_ENV: "production",
  DATABASE_URL: "postgresql://tessera:pw@db.internal:5432/tessera",
  TESSERA_ISSUER: "https://auth.example.com",
  TESSERA_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  TESSERA_SERVICE_CREDENTIAL: randomBytes(32).toString("base64url"),
  SMTP_URL: "smtps://mailer:pw@smtp.example.com:465",
};

describe("loadConfig", () => {
  it("has local-development defaults for everything once development is asked for", () => {
    expect(loadConfig(DEV)).toEqual({
      env: "development",
      host: "127.0.0.1",
      port: 50051,
      databaseUrl: undefined,
      dataDir: ".data",
      issuer: "http://localhost:50051",
      audience: "tessera",
      keyEncryptionKey: Buffer.from(DEVELOPMENT_SECRETS.keyEncryptionKey, "base64"),
      serviceCredential: DEVELOPMENT_SECRETS.serviceCredential,
      accessTokenTtlSeconds: 900,
      sessionTtlSeconds: 30 * 86400,
      refreshGraceSeconds: 10,
      keyRotationSeconds: 30 * 86400,
      shutdownTimeoutSeconds: 15,
      drainSeconds: 5,
      connectionLimits: { requestTimeoutSeconds: 60, idleTimeoutSeconds: 60, maxConcurrentStreams: 100, maxSessionMemoryMb: 10, maxConnectionsPerIp: 64 },
      dbProbe: { intervalMs: 2000, timeoutMs: 1000 },
      publicUrl: "http://127.0.0.1:50051",
      webUrl: "http://localhost:3000",
      corsOrigins: ["http://localhost:3000"],
      webauthn: { rpId: "localhost", origins: ["http://localhost:3000"] },
      smtpUrl: undefined,
      mailFrom: "Tessera <no-reply@tessera.localhost>",
      productName: "Tessera",
      mail: { sendTimeoutSeconds: 60, retryWindowSeconds: 86400 },
      retention: { sweepSeconds: 3600, batchSize: 1000, sessionDays: 30, sentMailDays: 30, auditDays: 730 },
      avatarDir: ".data/avatars",
      logLevel: "info",
      metrics: { listen: { host: "127.0.0.1", port: 9464 }, token: undefined },
      tracing: { tracesUrl: undefined, serviceName: "tessera-auth" },
      rateLimits: {
        loginAccount: { limit: 10, windowSeconds: 900 },
        loginAccountTotal: { limit: 100, windowSeconds: 3600 },
        loginIp: { limit: 50, windowSeconds: 900 },
        passwordCheck: { limit: 10, windowSeconds: 900 },
        passwordCheckTotal: { limit: 100, windowSeconds: 3600 },
        registerIp: { limit: 20, windowSeconds: 3600 },
        resetEmail: { limit: 3, windowSeconds: 3600 },
        resetIp: { limit: 20, windowSeconds: 3600 },
        verifyUser: { limit: 5, windowSeconds: 3600 },
      },
    });
    expect(loadConfig(DEV).keyEncryptionKey).toHaveLength(32);
  });

  it("reads the retention sweeper's settings; 0 seconds turns it off; the former mail retention name still counts", () => {
    const set = loadConfig({
      ...DEV,
      RETENTION_SWEEP_SECONDS: "0",
      RETENTION_BATCH: "250",
      SESSION_RETENTION_DAYS: "7",
      SENT_MAIL_RETENTION_DAYS: "14",
      AUDIT_RETENTION_DAYS: "3650",
    });
    expect(set.retention).toEqual({ sweepSeconds: 0, batchSize: 250, sessionDays: 7, sentMailDays: 14, auditDays: 3650 });
    expect(loadConfig({ ...DEV, TESSERA_MAIL_RETENTION_DAYS: "9" }).retention.sentMailDays).toBe(9);
    expect(loadConfig({ ...DEV, TESSERA_MAIL_RETENTION_DAYS: "9", SENT_MAIL_RETENTION_DAYS: "3" }).retention.sentMailDays).toBe(3);
    expect(named(configError({ ...DEV, RETENTION_SWEEP_SECONDS: "-1", RETENTION_BATCH: "0", SESSION_RETENTION_DAYS: "0", SENT_MAIL_RETENTION_DAYS: "x", AUDIT_RETENTION_DAYS: "1.5" }))).toEqual([
      "RETENTION_SWEEP_SECONDS",
      "RETENTION_BATCH",
      "SESSION_RETENTION_DAYS",
      "SENT_MAIL_RETENTION_DAYS",
      "AUDIT_RETENTION_DAYS",
    ]);
  });

  it("names the product in mail from PRODUCT_NAME, which also names the default sender; one line only", () => {
    expect(loadConfig({ ...DEV, PRODUCT_NAME: "Acme ID" })).toMatchObject({ productName: "Acme ID", mailFrom: "Acme ID <no-reply@tessera.localhost>" });
    expect(loadConfig({ ...DEV, PRODUCT_NAME: "Acme ID", MAIL_FROM: "Ops <ops@acme.test>" }).mailFrom).toBe("Ops <ops@acme.test>");
    expect(named(configError({ ...DEV, PRODUCT_NAME: "Acme\r\nBcc: x@evil.test" }))).toEqual(["PRODUCT_NAME"]);
    expect(named(configError({ ...DEV, PRODUCT_NAME: "x".repeat(61) }))).toEqual(["PRODUCT_NAME"]);
  });

  it("binds passkeys to the web app's host and origin unless WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS say otherwise", () => {
    expect(loadConfig({ ...DEV, TESSERA_WEB_URL: "https://id.example.com:8443/app/" }).webauthn).toEqual({
      rpId: "id.example.com",
      origins: ["https://id.example.com:8443"],
    });
    const set = loadConfig({ ...DEV, WEBAUTHN_RP_ID: "Example.COM", WEBAUTHN_ORIGINS: "https://id.example.com, https://app.example.com/" });
    expect(set.webauthn).toEqual({ rpId: "example.com", origins: ["https://id.example.com", "https://app.example.com"] });
    for (const bad of ["https://example.com", "example.com:443", "example.com/path", "-bad.example", "exa mple.com"]) {
      expect(named(configError({ ...DEV, WEBAUTHN_RP_ID: bad })), bad).toEqual(["WEBAUTHN_RP_ID"]);
    }
    expect(named(configError({ ...DEV, WEBAUTHN_ORIGINS: "https://*.example.com" }))).toEqual(["WEBAUTHN_ORIGINS"]);
  });

  it("fails closed: with TESSERA_ENV unset it runs as production and refuses every development default", () => {
    // NODE_ENV no longer chooses the mode: a host that sets it to development changes nothing.
    for (const env of [{}, { NODE_ENV: "development" }, { TESSERA_ENV: "" }] as Record<string, string>[]) {
      expect(named(configError(env))).toEqual(["DATABASE_URL", "TESSERA_KEY_ENCRYPTION_KEY", "TESSERA_SERVICE_CREDENTIAL", "SMTP_URL", "TESSERA_ISSUER"]);
    }
    expect(loadConfig({ ...PRODUCTION, TESSERA_ENV: "" }).env).toBe("production");
  });

  it("names a misspelt TESSERA_ENV and still applies the production rules", () => {
    expect(named(configError({ TESSERA_ENV: "dev" }))).toEqual(["TESSERA_ENV", "DATABASE_URL", "TESSERA_KEY_ENCRYPTION_KEY", "TESSERA_SERVICE_CREDENTIAL", "SMTP_URL", "TESSERA_ISSUER"]);
  });

  it("reads the connection limits and the drain window", () => {
    const c = loadConfig({
      ...DEV,
      TESSERA_DRAIN_SECONDS: "0",
      TESSERA_REQUEST_TIMEOUT: "2",
      TESSERA_IDLE_TIMEOUT: "3",
      TESSERA_H2_MAX_CONCURRENT_STREAMS: "10",
      TESSERA_H2_MAX_SESSION_MEMORY: "4",
      TESSERA_MAX_CONNECTIONS_PER_IP: "5",
    });
    expect(c.drainSeconds).toBe(0);
    expect(c.connectionLimits).toEqual({ requestTimeoutSeconds: 2, idleTimeoutSeconds: 3, maxConcurrentStreams: 10, maxSessionMemoryMb: 4, maxConnectionsPerIp: 5 });
    const err = configError({ ...DEV, TESSERA_H2_MAX_CONCURRENT_STREAMS: "0", TESSERA_MAX_CONNECTIONS_PER_IP: "0", TESSERA_REQUEST_TIMEOUT: "0" });
    expect(named(err).sort()).toEqual(["TESSERA_H2_MAX_CONCURRENT_STREAMS", "TESSERA_MAX_CONNECTIONS_PER_IP", "TESSERA_REQUEST_TIMEOUT"]);
  });

  it("serves /metrics on METRICS_ADDRESS (host:port, [v6]:port or off), with an optional METRICS_TOKEN", () => {
    expect(loadConfig({ ...DEV, METRICS_ADDRESS: "0.0.0.0:9100", METRICS_TOKEN: "a-scrape-token-123" }).metrics).toEqual({
      listen: { host: "0.0.0.0", port: 9100 },
      token: "a-scrape-token-123",
    });
    expect(loadConfig({ ...DEV, METRICS_ADDRESS: "[::1]:0" }).metrics.listen).toEqual({ host: "::1", port: 0 });
    expect(loadConfig({ ...DEV, METRICS_ADDRESS: "metrics.internal:9464" }).metrics.listen).toEqual({ host: "metrics.internal", port: 9464 });
    expect(loadConfig({ ...DEV, METRICS_ADDRESS: "off" }).metrics).toEqual({ listen: undefined, token: undefined });
    expect(loadConfig({ ...DEV, METRICS_ADDRESS: "OFF" }).metrics.listen).toBeUndefined();
    for (const bad of ["9464", "127.0.0.1", "127.0.0.1:70000", "http://127.0.0.1:9464", ":9464", "::1:9464"]) {
      expect(named(configError({ ...DEV, METRICS_ADDRESS: bad })), bad).toEqual(["METRICS_ADDRESS"]);
    }
    expect(named(configError({ ...DEV, METRICS_TOKEN: "short" }))).toEqual(["METRICS_TOKEN"]);
  });

  it("treats an empty variable as unset, not as zero", () => {
    const c = loadConfig({ ...DEV, TESSERA_AUTH_PORT: "", TESSERA_REFRESH_GRACE: "", DATABASE_URL: "" });
    expect(c).toMatchObject({ port: 50051, refreshGraceSeconds: 10, databaseUrl: undefined });
  });

  it("reads every variable", () => {
    const c = loadConfig({ ...PRODUCTION, TESSERA_AUTH_HOST: "0.0.0.0", TESSERA_AUTH_PORT: "8443", TESSERA_ACCESS_TOKEN_TTL: "300", LOG_LEVEL: "warn" });
    expect(c).toMatchObject({ env: "production", host: "0.0.0.0", port: 8443, databaseUrl: PRODUCTION.DATABASE_URL, issuer: PRODUCTION.TESSERA_ISSUER });
    expect(c).toMatchObject({ accessTokenTtlSeconds: 300, logLevel: "warn", serviceCredential: PRODUCTION.TESSERA_SERVICE_CREDENTIAL });
    expect(c.keyEncryptionKey.equals(Buffer.from(PRODUCTION.TESSERA_KEY_ENCRYPTION_KEY, "base64"))).toBe(true);
  });

  it("in production, refuses development secrets, a missing DATABASE_URL or SMTP_URL and an http issuer — all at once", () => {
    const err = configError({ TESSERA_ENV: "production" });
    expect(named(err)).toEqual(["DATABASE_URL", "TESSERA_KEY_ENCRYPTION_KEY", "TESSERA_SERVICE_CREDENTIAL", "SMTP_URL", "TESSERA_ISSUER"]);
    for (const variable of named(err)) expect(err.message).toContain(`  - ${variable}: `);
  });

  it.each<[string, (env: Record<string, string>) => void]>([
    ["DATABASE_URL", (env) => delete env.DATABASE_URL],
    ["TESSERA_KEY_ENCRYPTION_KEY", (env) => (env.TESSERA_KEY_ENCRYPTION_KEY = DEVELOPMENT_SECRETS.keyEncryptionKey)],
    ["TESSERA_SERVICE_CREDENTIAL", (env) => (env.TESSERA_SERVICE_CREDENTIAL = DEVELOPMENT_SECRETS.serviceCredential)],
    ["TESSERA_ISSUER", (env) => (env.TESSERA_ISSUER = "http://auth.example.com")],
    ["SMTP_URL", (env) => delete env.SMTP_URL],
  ])("in production, names %s alone when only it is wrong", (variable, spoil) => {
    const env: Record<string, string> = { ...PRODUCTION };
    spoil(env);
    expect(named(configError(env))).toEqual([variable]);
  });

  it("accepts a production environment with real values", () => {
    expect(loadConfig(PRODUCTION).env).toBe("production");
  });

  it.each(["abc", "70000", "-1", "80.5"])("names TESSERA_AUTH_PORT for port %j", (port) => {
    const err = configError({ ...DEV, TESSERA_AUTH_PORT: port });
    expect(named(err)).toEqual(["TESSERA_AUTH_PORT"]);
    expect(err.message).toMatch(/^invalid configuration:\n {2}- TESSERA_AUTH_PORT: /);
  });

  it.each([
    ["not base64", "not base64!!"],
    ["16 bytes", randomBytes(16).toString("base64")],
    ["64 bytes", randomBytes(64).toString("base64")],
    ["32 bytes with stray characters", `${randomBytes(32).toString("base64").slice(0, 20)}!!${randomBytes(32).toString("base64").slice(20)}`],
  ])("names TESSERA_KEY_ENCRYPTION_KEY for a key that is %s", (_what, key) => {
    expect(named(configError({ ...DEV, TESSERA_KEY_ENCRYPTION_KEY: key }))).toEqual(["TESSERA_KEY_ENCRYPTION_KEY"]);
  });

  it("lists malformed variables together with the production rules they break", () => {
    const err = configError({ TESSERA_ENV: "production", TESSERA_AUTH_PORT: "http", LOG_LEVEL: "loud", TESSERA_ISSUER: "http://x.example" });
    expect(named(err).sort()).toEqual(
      ["DATABASE_URL", "LOG_LEVEL", "SMTP_URL", "TESSERA_AUTH_PORT", "TESSERA_ISSUER", "TESSERA_KEY_ENCRYPTION_KEY", "TESSERA_SERVICE_CREDENTIAL"].sort(),
    );
  });

  it("reads the throttling limits and windows; 0 turns a rule off, a zero window is refused", () => {
    const c = loadConfig({
      ...DEV,
      TESSERA_LIMIT_LOGIN_ACCOUNT: "5",
      TESSERA_LIMIT_LOGIN_ACCOUNT_WINDOW: "60",
      TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL: "40",
      TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL_WINDOW: "7200",
      TESSERA_LIMIT_LOGIN_IP: "0",
      TESSERA_LIMIT_REGISTER_IP: "7",
      TESSERA_LIMIT_REGISTER_IP_WINDOW: "2",
      TESSERA_LIMIT_RESET_EMAIL: "1",
      TESSERA_LIMIT_RESET_EMAIL_WINDOW: "86400",
      TESSERA_LIMIT_RESET_IP: "100",
      TESSERA_LIMIT_RESET_IP_WINDOW: "1",
      TESSERA_LIMIT_VERIFY_USER: "2",
      TESSERA_LIMIT_VERIFY_USER_WINDOW: "120",
    });
    expect(c.rateLimits).toEqual({
      loginAccount: { limit: 5, windowSeconds: 60 },
      loginAccountTotal: { limit: 40, windowSeconds: 7200 },
      loginIp: { limit: 0, windowSeconds: 900 },
      passwordCheck: { limit: 5, windowSeconds: 60 },
      passwordCheckTotal: { limit: 40, windowSeconds: 7200 },
      registerIp: { limit: 7, windowSeconds: 2 },
      resetEmail: { limit: 1, windowSeconds: 86400 },
      resetIp: { limit: 100, windowSeconds: 1 },
      verifyUser: { limit: 2, windowSeconds: 120 },
    });
    const err = configError({ ...DEV, TESSERA_LIMIT_LOGIN_IP: "-1", TESSERA_LIMIT_RESET_EMAIL: "many", TESSERA_LIMIT_LOGIN_ACCOUNT_WINDOW: "0", TESSERA_LIMIT_VERIFY_USER_WINDOW: "86401" });
    expect(named(err).sort()).toEqual(
      ["TESSERA_LIMIT_LOGIN_ACCOUNT_WINDOW", "TESSERA_LIMIT_LOGIN_IP", "TESSERA_LIMIT_RESET_EMAIL", "TESSERA_LIMIT_VERIFY_USER_WINDOW"].sort(),
    );
  });

  it("turns tracing on only for an OTLP endpoint: the traces URL given, or <endpoint>/v1/traces; OTEL_SERVICE_NAME renames", () => {
    expect(loadConfig(DEV).tracing.tracesUrl).toBeUndefined();
    expect(loadConfig({ ...DEV, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).tracing).toEqual({ tracesUrl: "http://collector:4318/v1/traces", serviceName: "tessera-auth" });
    expect(
      loadConfig({ ...DEV, OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://otel.example.com/ingest/traces", OTEL_SERVICE_NAME: "auth-eu" }).tracing,
    ).toEqual({ tracesUrl: "https://otel.example.com/ingest/traces", serviceName: "auth-eu" });
    expect(named(configError({ ...DEV, OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "grpc://collector:4317" }))).toEqual([
      "OTEL_EXPORTER_OTLP_ENDPOINT",
      "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    ]);
    expect(named(configError({ ...DEV, OTEL_SERVICE_NAME: " " }))).toEqual(["OTEL_SERVICE_NAME"]);
  });

  it("does not repeat the values it refuses (they may be secrets)", () => {
    const err = configError({ ...DEV, DATABASE_URL: "postgres://u:s3cr3t-pw@db:5432:x/db", TESSERA_SERVICE_CREDENTIAL: "short-s3cr3t" });
    expect(named(err).sort()).toEqual(["DATABASE_URL", "TESSERA_SERVICE_CREDENTIAL"]);
    expect(err.message).not.toMatch(/s3cr3t/);
  });
});

describe("starting the service with an invalid configuration", () => {
  it("prints one clear paragraph to stderr and exits 1, without a stack trace", async () => {
    const p = startMain({ TESSERA_AUTH_PORT: "eighty", TESSERA_KEY_ENCRYPTION_KEY: "short" });
    const timer = setTimeout(() => p.child.kill("SIGKILL"), 20_000);
    const done = await p.exited;
    clearTimeout(timer);
    expect(done.code).toBe(1);
    expect(done.stdout).toBe("");
    const text = done.stderr.trimEnd();
    expect(text).toMatch(/^tessera-auth: invalid configuration:\n/);
    expect(text).not.toMatch(/\n\s*\n/); // one paragraph
    expect(text).not.toMatch(/^\s+at |\.ts:\d+|node:internal|ConfigError/m);
    for (const variable of ["TESSERA_AUTH_PORT", "TESSERA_KEY_ENCRYPTION_KEY", "DATABASE_URL", "TESSERA_SERVICE_CREDENTIAL", "SMTP_URL", "TESSERA_ISSUER"]) {
      expect(text).toContain(`  - ${variable}: `);
    }
    expect(text.split("\n")).toHaveLength(7);
  });
});
