// Generates the Prisma client (services/auth/src/db/generated) after `npm install`.
// `prisma generate` never runs the schema engine, but Prisma 7 insists on locating one and
// would try to download it; pointing it at any executable keeps install fully offline.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  console.warn("prisma CLI not installed (production install?): skipping client generation");
  process.exit(0);
}
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
const run = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(run.status ?? 1);
