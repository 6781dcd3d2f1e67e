import { z } from "zod";
import { ConfigError } from "../../../shared/config-error.js";
import { DEVELOPMENT_SERVICE_CREDENTIAL } from "../../../shared/development-secrets.js";
import { DEFAULT_MODE, MODES, type Mode } from "../../../shared/mode.js";
import { originList } from "../../../shared/origins.js";
import { metricsAddress, metricsToken, type MetricsListen } from "../../../shared/metrics-config.js";
import { tracingConfig, tracingEnv, type TracingConfig } from "../../../shared/tracing-config.js";

export { ConfigError };

/** Values that ship in the repository for local use; production refuses every one of them. */
export const DEVELOPMENT_SECRETS = {
  keyEncryptionKey: "ZGV2ZWxvcG1lbnQta2V5LWVuY3J5cHRpb24ta2V5LSE=",
  serviceCredential: DEVELOPMENT_SERVICE_CREDENTIAL,
} as const;

const seconds = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

/** A throttling limit: at most N hits per window of W seconds; 0 turns the rule off. */
const limit = (fallback: number) => z.coerce.number().int().min(0).max(1_000_000).default(fallback);
/** A throttling window, in seconds (1 s to 1 day). */
const limitWindow = (fallback: number) => seconds(fallback, 1, 86400);

const schema = z.object({
  TESSERA_ENV: z.enum(MODES).default(DEFAULT_MODE),
  TESSERA_AUTH_HOST: z.string().min(1).default("127.0.0.1"),
  TESSERA_AUTH_PORT: z.coerce.number().int().min(0).max(65535).default(50051),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TESSERA_DATA_DIR: z.string().min(1).default(".data"),
  TESSERA_ISSUER: z.url().default("http://localhost:50051"),
  TESSERA_AUDIENCE: z.string().min(1).default("tessera"),
  TESSERA_KEY_ENCRYPTION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/, "must be 32 bytes, base64 encoded (openssl rand -base64 32)")
    .default(DEVELOPMENT_SECRETS.keyEncryptionKey),
  TESSERA_SERVICE_CREDENTIAL: z.string().min(32).default(DEVELOPMENT_SECRETS.serviceCredential),
  TESSERA_ACCESS_TOKEN_TTL: seconds(900, 60, 3600),
  TESSERA_SESSION_TTL: seconds(30 * 86400, 3600, 365 * 86400),
  TESSERA_REFRESH_GRACE: seconds(10, 0, 120),
  TESSERA_KEY_ROTATION: seconds(30 * 86400, 3600, 365 * 86400),
  TESSERA_SHUTDOWN_TIMEOUT: seconds(15, 1, 300),
  /** After SIGTERM: seconds of NOT_SERVING while still serving, before GOAWAY / Connection: close. */
  TESSERA_DRAIN_SECONDS: seconds(5, 0, 300),
  /**
   * Deadline for a request's headers and body (HTTP/1.1 request, HTTP/2 stream), seconds. 60 s lets
   * a 2 MiB avatar through a 35 KB/s link; a stalled stream is held at most this long.
   */
  TESSERA_REQUEST_TIMEOUT: seconds(60, 1, 600),
  /** An HTTP/2 session with no open stream is closed (GOAWAY) after this many seconds. */
  TESSERA_IDLE_TIMEOUT: seconds(60, 1, 3600),
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS. */
  TESSERA_H2_MAX_CONCURRENT_STREAMS: z.coerce.number().int().min(1).max(1000).default(100),
  /** Memory one HTTP/2 session may use, in MB (Node's maxSessionMemory). */
  TESSERA_H2_MAX_SESSION_MEMORY: z.coerce.number().int().min(1).max(1024).default(10),
  /** Open connections per client address (the socket's peer address). */
  TESSERA_MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(64),
  /** How often the database is probed for grpc.health (ms); NOT_SERVING while a probe fails. */
  TESSERA_DB_PROBE_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** How long one probe (SELECT 1) may take before it counts as failed (ms). */
  TESSERA_DB_PROBE_TIMEOUT_MS: z.coerce.number().int().min(50).max(30_000).default(1000),
  TESSERA_PUBLIC_URL: z.url().default("http://127.0.0.1:50051"),
  TESSERA_WEB_URL: z.url().default("http://localhost:3000"),
  TESSERA_CORS_ORIGINS: originList.optional(),
  /** The WebAuthn relying party id: a domain (no scheme, port or path) that passkeys are bound to. */
  WEBAUTHN_RP_ID: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, "must be a domain name such as example.com (no scheme, port or path)")
    .optional(),
  /** Exact origins whose pages may register and use passkeys (the clientDataJSON origin). */
  WEBAUTHN_ORIGINS: originList.optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** The product's name in mail (subjects, bodies, the HTML header) and the default sender name. */
  PRODUCT_NAME: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^\u0000-\u001f\u007f]*$/, "must be one line of text (it goes into mail subjects)")
    .default("Tessera"),
  /** Sender of outgoing mail; default `${PRODUCT_NAME} <no-reply@tessera.localhost>`. */
  MAIL_FROM: z.string().min(3).optional(),
  // Retention (services/auth/src/retention): what the sweeper deletes, and how often it runs.
  /** Seconds between two sweeps in each replica (one replica sweeps at a time); 0 turns the sweeper off. */
  RETENTION_SWEEP_SECONDS: z.coerce.number().int().min(0).max(7 * 86400).default(3600),
  /** Rows deleted per statement (each its own short transaction). */
  RETENTION_BATCH: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Days a session (and its refresh tokens) is kept after it expired or was revoked. */
  SESSION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** Days settled outbox mail (SENT, EXPIRED, FAILED) is kept after it was queued. */
  SENT_MAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  /** The former name of SENT_MAIL_RETENTION_DAYS, still read when that one is unset. */
  TESSERA_MAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  /** Days audit events are kept. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(730),
  /** Longest one mail send may take, seconds; the outbox lease is twice this. */
  TESSERA_MAIL_SEND_TIMEOUT: seconds(60, 5, 600),
  /** How long mail without a token is retried before it is FAILED, seconds (token mail: until the token expires). */
  TESSERA_MAIL_RETRY_WINDOW: seconds(86400, 60, 30 * 86400),
  TESSERA_AVATAR_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Listener of GET /metrics (Prometheus), never the public port: host:port, or "off". */
  METRICS_ADDRESS: metricsAddress("127.0.0.1:9464"),
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  METRICS_TOKEN: metricsToken,
  /** OpenTelemetry: OTEL_EXPORTER_OTLP_ENDPOINT / _TRACES_ENDPOINT turn the SDK on; OTEL_SERVICE_NAME (default tessera-auth). */
  ...tracingEnv,
  // Throttling (RESOURCE_EXHAUSTED with a retry delay), counted in PostgreSQL so every replica
  // shares the counts. Each rule is a count per fixed window; a count of 0 turns the rule off.
  /**
   * Failed sign-ins per normalised email (whether or not an account uses it) from one client
   * address (IPv6: per /64), per window; also failed current-password checks (ChangePassword,
   * DeleteAccount) per user and client address. Cleared by a success and by a password reset.
   */
  TESSERA_LIMIT_LOGIN_ACCOUNT: limit(10),
  /** Window of TESSERA_LIMIT_LOGIN_ACCOUNT, seconds. */
  TESSERA_LIMIT_LOGIN_ACCOUNT_WINDOW: limitWindow(900),
  /**
   * Failed sign-ins per normalised email from all clients together, per window (NIST SP 800-63B:
   * at most 100 consecutive failures); also failed current-password checks per user. Cleared by
   * a success and by a password reset.
   */
  TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL: limit(100),
  /** Window of TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL, seconds. */
  TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL_WINDOW: limitWindow(3600),
  /** Sign-in attempts (failed or not) per client IP (IPv6: per /64), per window. */
  TESSERA_LIMIT_LOGIN_IP: limit(50),
  /** Window of TESSERA_LIMIT_LOGIN_IP, seconds. */
  TESSERA_LIMIT_LOGIN_IP_WINDOW: limitWindow(900),
  /**
   * BeginPasskeySignIn calls per client IP (IPv6: per /64), per window. A sign-in page asks for
   * options on every view (the browser's passkey autofill), so this is counted apart from, and
   * set well above, TESSERA_LIMIT_LOGIN_IP, which FinishPasskeySignIn counts against.
   */
  TESSERA_LIMIT_PASSKEY_OPTIONS_IP: limit(300),
  /** Window of TESSERA_LIMIT_PASSKEY_OPTIONS_IP, seconds. */
  TESSERA_LIMIT_PASSKEY_OPTIONS_IP_WINDOW: limitWindow(900),
  /** Register calls per client IP (IPv6: per /64), per window. */
  TESSERA_LIMIT_REGISTER_IP: limit(20),
  /** Window of TESSERA_LIMIT_REGISTER_IP, seconds. */
  TESSERA_LIMIT_REGISTER_IP_WINDOW: limitWindow(3600),
  /** RequestPasswordReset calls per normalised email (whether or not an account uses it), per window. */
  TESSERA_LIMIT_RESET_EMAIL: limit(3),
  /** Window of TESSERA_LIMIT_RESET_EMAIL, seconds. */
  TESSERA_LIMIT_RESET_EMAIL_WINDOW: limitWindow(3600),
  /** RequestPasswordReset calls per client IP (IPv6: per /64), per window. */
  TESSERA_LIMIT_RESET_IP: limit(20),
  /** Window of TESSERA_LIMIT_RESET_IP, seconds. */
  TESSERA_LIMIT_RESET_IP_WINDOW: limitWindow(3600),
  /** RequestEmailVerification calls per signed-in user, per window. */
  TESSERA_LIMIT_VERIFY_USER: limit(5),
  /** Window of TESSERA_LIMIT_VERIFY_USER, seconds. */
  TESSERA_LIMIT_VERIFY_USER_WINDOW: limitWindow(3600),
});

/** One throttling rule: at most `limit` hits per fixed window of `windowSeconds`; limit 0 is off. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** The throttling rules (TESSERA_LIMIT_*). See services/auth/src/throttle/. */
export interface RateLimits {
  /** Failed Login calls per normalised email and client address. */
  loginAccount: RateLimit;
  /** Failed Login calls per normalised email, from every client. */
  loginAccountTotal: RateLimit;
  /** Login calls per client IP. */
  loginIp: RateLimit;
  /** Failed current-password checks (ChangePassword, DeleteAccount) per user and client address. */
  passwordCheck: RateLimit;
  /** Failed current-password checks per user, from every client. */
  passwordCheckTotal: RateLimit;
  /** BeginPasskeySignIn calls per client IP. */
  passkeyOptionsIp: RateLimit;
  /** Register calls per client IP. */
  registerIp: RateLimit;
  /** RequestPasswordReset calls per normalised email. */
  resetEmail: RateLimit;
  /** RequestPasswordReset calls per client IP. */
  resetIp: RateLimit;
  /** RequestEmailVerification calls per user. */
  verifyUser: RateLimit;
}

/** What one client may hold open on the port (TESSERA_REQUEST_TIMEOUT etc.). */
export interface ConnectionLimits {
  requestTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  maxConcurrentStreams: number;
  maxSessionMemoryMb: number;
  maxConnectionsPerIp: number;
}

/** The retention sweeper (RETENTION_*, *_RETENTION_DAYS). See services/auth/src/retention/. */
export interface RetentionSettings {
  /** Seconds between sweeps; 0 is off. */
  sweepSeconds: number;
  /** Rows per DELETE statement. */
  batchSize: number;
  /** Days a session is kept after it expired or was revoked. */
  sessionDays: number;
  /** Days settled outbox mail is kept after it was queued. */
  sentMailDays: number;
  /** Days audit events are kept. */
  auditDays: number;
}

/** Outbox delivery. See services/auth/src/mail/. */
export interface MailSettings {
  /** Bound on one send; the worker's lease is twice this. */
  sendTimeoutSeconds: number;
  /** Retry period of mail that carries no token. */
  retryWindowSeconds: number;
}

/** Validated configuration of the auth service. See README, "Configuration". */
export interface Config {
  /** TESSERA_ENV; production unless development or test is asked for. */
  env: Mode;
  host: string;
  port: number;
  /** Undefined means: start an embedded PostgreSQL (never in production). */
  databaseUrl: string | undefined;
  dataDir: string;
  issuer: string;
  audience: string;
  keyEncryptionKey: Buffer;
  serviceCredential: string;
  accessTokenTtlSeconds: number;
  sessionTtlSeconds: number;
  refreshGraceSeconds: number;
  keyRotationSeconds: number;
  shutdownTimeoutSeconds: number;
  /** After SIGTERM, how long the service reports NOT_SERVING while still serving. */
  drainSeconds: number;
  connectionLimits: ConnectionLimits;
  /** Database probe behind grpc.health: period and per-probe timeout, in milliseconds. */
  dbProbe: { intervalMs: number; timeoutMs: number };
  /** Base URL at which this service is reachable by browsers (avatar URLs). */
  publicUrl: string;
  /** Base URL of the web app; links in mail point there, never at a request's Host. */
  webUrl: string;
  /**
   * Exact origins (scheme://host[:port]) whose browser scripts may call this service (CORS);
   * empty means no cross-origin access. See corsOriginsDefault for the default.
   */
  corsOrigins: string[];
  /**
   * WebAuthn relying party: `rpId` (WEBAUTHN_RP_ID, default the host of TESSERA_WEB_URL) and the
   * exact `origins` an answer may come from (WEBAUTHN_ORIGINS, default the origin of TESSERA_WEB_URL).
   */
  webauthn: { rpId: string; origins: string[] };
  /** SMTP server for outgoing mail; undefined means the development mailbox (never in production). */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** PRODUCT_NAME: the product's name in mail. */
  productName: string;
  /** Outbox delivery (TESSERA_MAIL_*). */
  mail: MailSettings;
  /** What the retention sweeper deletes, and how often. */
  retention: RetentionSettings;
  /** Folder for uploaded avatars. */
  avatarDir: string;
  logLevel: string;
  /** OpenTelemetry export; off (no SDK) unless an OTLP endpoint is set. Log lines carry trace ids either way. */
  tracing: TracingConfig;
  rateLimits: RateLimits;
  /** GET /metrics: its own listener (undefined: off) and the bearer token it requires, if any. */
  metrics: { listen: MetricsListen | undefined; token: string | undefined };
}


/** Reads and validates the environment. Throws ConfigError listing every bad variable. */
export function loadConfig(rawEnv: Readonly<Record<string, string | undefined>> = process.env): Config {
  // An empty variable means "not set" (as in `FOO= npm start`), never the number 0.
  const env = Object.fromEntries(Object.entries(rawEnv).filter(([, v]) => v !== ""));
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  // The production rules also run when other variables are malformed, on those that parsed.
  const v = parsed.success ? parsed.data : parseEach(env);
  // A malformed TESSERA_ENV is reported and the production rules apply too (fail closed).
  if ((v.TESSERA_ENV ?? DEFAULT_MODE) === "production") {
    if (env.DATABASE_URL === undefined) problems.push("DATABASE_URL: required in production (no embedded database)");
    if (v.TESSERA_KEY_ENCRYPTION_KEY === DEVELOPMENT_SECRETS.keyEncryptionKey)
      problems.push("TESSERA_KEY_ENCRYPTION_KEY: the development key is refused in production");
    if (v.TESSERA_SERVICE_CREDENTIAL === DEVELOPMENT_SECRETS.serviceCredential)
      problems.push("TESSERA_SERVICE_CREDENTIAL: the development credential is refused in production");
    if (env.SMTP_URL === undefined) problems.push("SMTP_URL: required in production (the development mailbox is not for real users)");
    if (v.TESSERA_ISSUER !== undefined && !v.TESSERA_ISSUER.startsWith("https://"))
      problems.push("TESSERA_ISSUER: must be an https URL in production");
  }
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  return {
    env: e.TESSERA_ENV,
    host: e.TESSERA_AUTH_HOST,
    port: e.TESSERA_AUTH_PORT,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.TESSERA_DATA_DIR,
    issuer: e.TESSERA_ISSUER,
    audience: e.TESSERA_AUDIENCE,
    keyEncryptionKey: Buffer.from(e.TESSERA_KEY_ENCRYPTION_KEY, "base64"),
    serviceCredential: e.TESSERA_SERVICE_CREDENTIAL,
    accessTokenTtlSeconds: e.TESSERA_ACCESS_TOKEN_TTL,
    sessionTtlSeconds: e.TESSERA_SESSION_TTL,
    refreshGraceSeconds: e.TESSERA_REFRESH_GRACE,
    keyRotationSeconds: e.TESSERA_KEY_ROTATION,
    shutdownTimeoutSeconds: e.TESSERA_SHUTDOWN_TIMEOUT,
    drainSeconds: e.TESSERA_DRAIN_SECONDS,
    connectionLimits: {
      requestTimeoutSeconds: e.TESSERA_REQUEST_TIMEOUT,
      idleTimeoutSeconds: e.TESSERA_IDLE_TIMEOUT,
      maxConcurrentStreams: e.TESSERA_H2_MAX_CONCURRENT_STREAMS,
      maxSessionMemoryMb: e.TESSERA_H2_MAX_SESSION_MEMORY,
      maxConnectionsPerIp: e.TESSERA_MAX_CONNECTIONS_PER_IP,
    },
    dbProbe: { intervalMs: e.TESSERA_DB_PROBE_INTERVAL_MS, timeoutMs: e.TESSERA_DB_PROBE_TIMEOUT_MS },
    publicUrl: e.TESSERA_PUBLIC_URL.replace(/\/+$/, ""),
    webUrl: e.TESSERA_WEB_URL.replace(/\/+$/, ""),
    corsOrigins: e.TESSERA_CORS_ORIGINS ?? corsOriginsDefault(e.TESSERA_ENV, e.TESSERA_WEB_URL, env.TESSERA_WEB_URL !== undefined),
    webauthn: {
      rpId: e.WEBAUTHN_RP_ID ?? new URL(e.TESSERA_WEB_URL).hostname,
      origins: e.WEBAUTHN_ORIGINS ?? [new URL(e.TESSERA_WEB_URL).origin],
    },
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM ?? `${e.PRODUCT_NAME} <no-reply@tessera.localhost>`,
    productName: e.PRODUCT_NAME,
    mail: {
      sendTimeoutSeconds: e.TESSERA_MAIL_SEND_TIMEOUT,
      retryWindowSeconds: e.TESSERA_MAIL_RETRY_WINDOW,
    },
    retention: {
      sweepSeconds: e.RETENTION_SWEEP_SECONDS,
      batchSize: e.RETENTION_BATCH,
      sessionDays: e.SESSION_RETENTION_DAYS,
      sentMailDays: e.SENT_MAIL_RETENTION_DAYS ?? e.TESSERA_MAIL_RETENTION_DAYS ?? 30,
      auditDays: e.AUDIT_RETENTION_DAYS,
    },
    avatarDir: e.TESSERA_AVATAR_DIR ?? `${e.TESSERA_DATA_DIR}/avatars`,
    logLevel: e.LOG_LEVEL,
    metrics: { listen: e.METRICS_ADDRESS, token: e.METRICS_TOKEN },
    tracing: tracingConfig(e, "tessera-auth"),
    rateLimits: {
      loginAccount: { limit: e.TESSERA_LIMIT_LOGIN_ACCOUNT, windowSeconds: e.TESSERA_LIMIT_LOGIN_ACCOUNT_WINDOW },
      loginAccountTotal: { limit: e.TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL, windowSeconds: e.TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL_WINDOW },
      loginIp: { limit: e.TESSERA_LIMIT_LOGIN_IP, windowSeconds: e.TESSERA_LIMIT_LOGIN_IP_WINDOW },
      // The current-password check is a sign-in by another door: the same limits, its own buckets.
      passwordCheck: { limit: e.TESSERA_LIMIT_LOGIN_ACCOUNT, windowSeconds: e.TESSERA_LIMIT_LOGIN_ACCOUNT_WINDOW },
      passwordCheckTotal: { limit: e.TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL, windowSeconds: e.TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL_WINDOW },
      passkeyOptionsIp: { limit: e.TESSERA_LIMIT_PASSKEY_OPTIONS_IP, windowSeconds: e.TESSERA_LIMIT_PASSKEY_OPTIONS_IP_WINDOW },
      registerIp: { limit: e.TESSERA_LIMIT_REGISTER_IP, windowSeconds: e.TESSERA_LIMIT_REGISTER_IP_WINDOW },
      resetEmail: { limit: e.TESSERA_LIMIT_RESET_EMAIL, windowSeconds: e.TESSERA_LIMIT_RESET_EMAIL_WINDOW },
      resetIp: { limit: e.TESSERA_LIMIT_RESET_IP, windowSeconds: e.TESSERA_LIMIT_RESET_IP_WINDOW },
      verifyUser: { limit: e.TESSERA_LIMIT_VERIFY_USER, windowSeconds: e.TESSERA_LIMIT_VERIFY_USER_WINDOW },
    },
  };
}

/**
 * TESSERA_CORS_ORIGINS when unset: the origin of TESSERA_WEB_URL (the browser app is the one
 * cross-origin caller), so local development works with no configuration. In production only an
 * explicitly set TESSERA_WEB_URL counts: its built-in default (http://localhost:3000) is never
 * trusted there, and without it the list is empty (no cross-origin access).
 */
function corsOriginsDefault(mode: Mode, webUrl: string, webUrlSet: boolean): string[] {
  if (mode === "production" && !webUrlSet) return [];
  const url = new URL(webUrl);
  // Never derive the opaque origin "null" (sandboxed frames, file: pages) from an odd scheme.
  return url.protocol === "http:" || url.protocol === "https:" ? [url.origin] : [];
}

/** Each variable parsed on its own; the ones that fail are left out. */
function parseEach(env: Record<string, string | undefined>): Partial<z.infer<typeof schema>> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const r = field.safeParse(env[key]);
    if (r.success) out[key] = r.data;
  }
  return out as Partial<z.infer<typeof schema>>;
}

/** Every variable the schema reads; docs/operations.md has a row for each (a test checks). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);
