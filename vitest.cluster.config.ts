// `npm run test:cluster`: the N-replica test behind HAProxy (services/auth/test/cluster/), run
// alone because it takes the whole machine for minutes. Same database setup as vitest.config.ts
// (TEST_DATABASE_URL's server, or an embedded PostgreSQL).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["services/auth/test/cluster/**/*.test.ts"],
    globalSetup: ["services/auth/test/global-setup.ts"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
