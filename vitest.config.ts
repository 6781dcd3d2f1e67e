import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["services/**/*.test.ts"],
    // Provides inject("databaseUrl"): a fresh migrated database (TEST_DATABASE_URL server or embedded PostgreSQL).
    globalSetup: ["services/auth/test/global-setup.ts"],
    testTimeout: 30_000,
    // First embedded-PostgreSQL run includes initdb.
    hookTimeout: 120_000,
    pool: "forks",
  },
});
