// The web app's configuration rules, without the server-only guard so next.config.ts and
// web/server.ts can check them at start. Server code reads the values through ./config.ts.
import { z } from "zod";
import { DEVELOPMENT_SERVICE_CREDENTIAL } from "../../../services/shared/development-secrets";
import { trustedProxiesSchema } from "../../../services/shared/client-ip";

export { DEVELOPMENT_SERVICE_CREDENTIAL };

const DEVELOPMENT_NEXTAUTH_SECRET = "development-nextauth-secret-do-not-use-in-production";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const schema = z.object({
  // Fail closed: a deployment that says nothing runs as production (development secrets
  // refused, no mailbox). `npm start` and the tests ask for development explicitly.
  TESSERA_ENV: z.enum(["development", "test", "production"]).default("production"),
  TESSERA_WEB_HOST: z.string().trim().min(1).default("127.0.0.1"),
  TESSERA_WEB_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  TESSERA_WEB_TRUSTED_PROXIES: trustedProxiesSchema,
  NEXTAUTH_URL: z.url({ protocol: /^https?$/ }).optional(),
  TESSERA_AUTH_URL: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:50051"),
  TESSERA_AUTH_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  TESSERA_SERVICE_CREDENTIAL: z.string().min(32).default(DEVELOPMENT_SERVICE_CREDENTIAL),
  NEXTAUTH_SECRET: z.string().min(32).default(DEVELOPMENT_NEXTAUTH_SECRET),
  GOOGLE_CLIENT_ID: optional,
  GOOGLE_CLIENT_SECRET: optional,
  TESSERA_OIDC_ISSUER: optional,
  TESSERA_OIDC_CLIENT_ID: optional,
  TESSERA_OIDC_CLIENT_SECRET: optional,
  TESSERA_OIDC_NAME: optional,
  PRODUCT_NAME: z.string().trim().min(1).max(60).default("Tessera"),
});

export interface WebConfig {
  /** TESSERA_ENV: the mode the web app runs in (production unless asked otherwise). */
  env: "development" | "test" | "production";
  /** True when running as production: development secrets are refused, the mailbox is off. */
  production: boolean;
  /** PRODUCT_NAME: the name pages show in titles and the header (messages take it as {product}). */
  productName: string;
  /** Interface and port web/server.ts listens on (127.0.0.1 unless told otherwise). */
  host: string;
  port: number;
  /** Peers whose X-Forwarded-For (and X-Forwarded-Host/-Proto) web/server.ts believes. */
  trustedProxies: string[];
  /** The app's own origin (NEXTAUTH_URL), when configured. */
  appOrigin?: string;
  /** Where this server reaches the auth service. */
  authUrl: string;
  /** Where the browser reaches the auth service (Connect over fetch, CORS-allowed). */
  publicAuthUrl: string;
  serviceCredential: string;
  nextAuthSecret: string;
  google?: { clientId: string; clientSecret: string };
  oidc?: { issuer: string; clientId: string; clientSecret: string; name: string };
}

export function loadWebConfig(env: Record<string, string | undefined> = process.env): WebConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`invalid web configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  // NODE_ENV says how Next built and serves the code (always production for a build); only
  // TESSERA_ENV says whether this deployment may use development secrets.
  const production = e.TESSERA_ENV === "production";
  if (production) {
    const bad: string[] = [];
    if (e.TESSERA_SERVICE_CREDENTIAL === DEVELOPMENT_SERVICE_CREDENTIAL) bad.push("TESSERA_SERVICE_CREDENTIAL");
    if (e.NEXTAUTH_SECRET === DEVELOPMENT_NEXTAUTH_SECRET) bad.push("NEXTAUTH_SECRET");
    if (bad.length) throw new Error(`refusing to run in production with development secrets: set ${bad.join(", ")}`);
    // Without it next-auth would take the app's origin from the Host header (or, with
    // AUTH_TRUST_HOST, X-Forwarded-Host): a client would choose where redirects point.
    if (!e.NEXTAUTH_URL) throw new Error("refusing to run in production without NEXTAUTH_URL (the app's public URL, e.g. https://app.example.com)");
  }
  const trim = (u: string) => u.replace(/\/+$/, "");
  const both = <T,>(a: T | undefined, b: T | undefined) => a !== undefined && b !== undefined;
  return {
    env: e.TESSERA_ENV,
    production,
    productName: e.PRODUCT_NAME,
    host: e.TESSERA_WEB_HOST,
    port: e.TESSERA_WEB_PORT,
    trustedProxies: e.TESSERA_WEB_TRUSTED_PROXIES,
    appOrigin: e.NEXTAUTH_URL ? new URL(e.NEXTAUTH_URL).origin : undefined,
    authUrl: trim(e.TESSERA_AUTH_URL),
    publicAuthUrl: trim(e.TESSERA_AUTH_PUBLIC_URL ?? e.TESSERA_AUTH_URL),
    serviceCredential: e.TESSERA_SERVICE_CREDENTIAL,
    nextAuthSecret: e.NEXTAUTH_SECRET,
    google: both(e.GOOGLE_CLIENT_ID, e.GOOGLE_CLIENT_SECRET)
      ? { clientId: e.GOOGLE_CLIENT_ID!, clientSecret: e.GOOGLE_CLIENT_SECRET! }
      : undefined,
    oidc:
      both(e.TESSERA_OIDC_ISSUER, e.TESSERA_OIDC_CLIENT_ID) && e.TESSERA_OIDC_CLIENT_SECRET
        ? {
            issuer: trim(e.TESSERA_OIDC_ISSUER!),
            clientId: e.TESSERA_OIDC_CLIENT_ID!,
            clientSecret: e.TESSERA_OIDC_CLIENT_SECRET,
            name: e.TESSERA_OIDC_NAME ?? "OpenID Connect",
          }
        : undefined,
  };
}

/** Every variable the schema reads; docs/operations.md has a row for each (a test checks). */
export const WEB_CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);
