import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // `server-only` throws outside a React Server build; tests import the web app's server
    // modules directly, so they get an empty module instead.
    alias: { "server-only": fileURLToPath(new URL("web/test/server-only-stub.ts", import.meta.url)) },
  },
  test: {
    include: ["services/**/*.test.ts", "web/**/*.test.ts", "scripts/**/*.test.ts"],
    // The cluster test (three replicas, two gateways, HAProxy) takes the whole machine for
    // minutes: `npm run test:cluster` runs it alone (vitest.cluster.config.ts), so does CI.
    exclude: ["**/node_modules/**", "services/auth/test/cluster/**"],
    // Provides inject("databaseUrl"): a fresh migrated database (TEST_DATABASE_URL server or embedded PostgreSQL).
    globalSetup: ["services/auth/test/global-setup.ts"],
    testTimeout: 30_000,
    // First embedded-PostgreSQL run includes initdb.
    hookTimeout: 120_000,
    pool: "forks",
  },
});
