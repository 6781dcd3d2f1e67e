import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER, PHASE_PRODUCTION_SERVER } from "next/constants";
import { WEB_SERVER_MARK } from "./lib/server/server-mark";
import { loadWebConfig } from "./lib/server/web-config";

// The repository root: the app imports the generated clients from ../gen and shares the
// root package.json and node_modules.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
];

const apiPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const config: NextConfig = {
  // The browser tests build into their own folder so they never clobber a developer's build.
  distDir: process.env.TESSERA_WEB_DIST_DIR || ".next",
  // Built with webpack (`next build --webpack`): the generated clients in gen/ import
  // TypeScript files by their .js names (NodeNext ESM), which Turbopack cannot resolve yet
  // (vercel/next.js#82945).
  // next-intl finds its per-request configuration through the `next-intl/config` alias. Its
  // plugin (createNextIntlPlugin) would set it, but resolves the file against the working
  // directory, and `npm run build:web` builds from the repository root: the alias is set here
  // instead, by absolute path.
  webpack(webpackConfig: { resolve: { extensionAlias?: Record<string, string[]>; alias?: Record<string, string> } }) {
    webpackConfig.resolve.extensionAlias = { ".js": [".ts", ".tsx", ".js"] };
    webpackConfig.resolve.alias = { ...webpackConfig.resolve.alias, "next-intl/config": path.join(root, "web", "i18n", "request.ts") };
    return webpackConfig;
  },
  outputFileTracingRoot: root,
  poweredByHeader: false,
  // `npm run typecheck` checks web/ with the repository's TypeScript (tsc -p web).
  typescript: { ignoreBuildErrors: true },
  // Avatar uploads go through a server action (the auth service accepts up to 2 MB).
  experimental: { serverActions: { bodySizeLimit: "3mb" } },
  // Pages get their nonce-based Content-Security-Policy from proxy.ts (per request); the
  // routes it skips (next-auth's /api/auth, which answers JSON, redirects and next-auth's own
  // plain pages) get a policy that runs no script at all. HSTS comes from web/server.ts, which
  // knows at run time whether this is production over https.
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiPolicy }] },
    ];
  },
};

export default function nextConfig(phase: string): NextConfig {
  // The server refuses to serve with a bad configuration or, in production, the development
  // secrets, instead of failing on the first request. Builds need no secrets.
  if (phase === PHASE_PRODUCTION_SERVER) {
    if (!(globalThis as Record<symbol, unknown>)[WEB_SERVER_MARK])
      throw new Error("serve the web app with web/server.ts (npm start does), not `next start`: only it takes the client address from the socket");
    loadWebConfig();
  }
  // `next dev` believes a client's X-Forwarded-For too (no web/server.ts in front): it is for
  // development only, and says so instead of serving a production configuration.
  if (phase === PHASE_DEVELOPMENT_SERVER && loadWebConfig().production)
    throw new Error("`next dev` (npm run dev:web) runs only with TESSERA_ENV=development");
  return config;
}
