// The web app's configuration rules, without the server-only guard so next.config.ts can check
// them when `next start` boots. Server code reads the values through ./config.ts.
import { z } from "zod";
import { DEVELOPMENT_SERVICE_CREDENTIAL } from "../../../services/shared/development-secrets";

export { DEVELOPMENT_SERVICE_CREDENTIAL };

const DEVELOPMENT_NEXTAUTH_SECRET = "development-nextauth-secret-do-not-use-in-production";

const optional = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  TESSERA_APP_ENV: z.enum(["development", "production"]).optional(),
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
});

export interface WebConfig {
  /** True when running as production: development secrets are refused, the mailbox is off. */
  production: boolean;
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
  // `next start` always sets NODE_ENV=production, so a local production build can say it is a
  // development deployment with TESSERA_APP_ENV=development (what `npm start` and the tests do).
  const production = (e.TESSERA_APP_ENV ?? (e.NODE_ENV === "production" ? "production" : "development")) === "production";
  if (production) {
    const bad: string[] = [];
    if (e.TESSERA_SERVICE_CREDENTIAL === DEVELOPMENT_SERVICE_CREDENTIAL) bad.push("TESSERA_SERVICE_CREDENTIAL");
    if (e.NEXTAUTH_SECRET === DEVELOPMENT_NEXTAUTH_SECRET) bad.push("NEXTAUTH_SECRET");
    if (bad.length) throw new Error(`refusing to run in production with development secrets: set ${bad.join(", ")}`);
  }
  const trim = (u: string) => u.replace(/\/+$/, "");
  const both = <T,>(a: T | undefined, b: T | undefined) => a !== undefined && b !== undefined;
  return {
    production,
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
