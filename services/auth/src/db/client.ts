import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client.js";

export type { PrismaClient };

/**
 * A Prisma client over a node-postgres pool. A short connect timeout makes a database
 * outage surface as UNAVAILABLE within seconds instead of hanging calls.
 */
export function createPrisma(databaseUrl: string, opts: { poolSize?: number } = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  return new PrismaClient({ adapter });
}
