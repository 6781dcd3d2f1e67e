// Prisma 7 CLI configuration. Only `prisma generate` is used here: migrations are plain SQL
// files applied by services/auth/src/db/migrate.ts (see README, "Database migrations").
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "services/auth/prisma/schema.prisma",
});
