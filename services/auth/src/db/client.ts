import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/client.js";

export type { PrismaClient };

/** The pool's counts, for metrics. */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

/**
 * A Prisma client over a node-postgres pool. A short connect timeout makes a database
 * outage surface as UNAVAILABLE within seconds instead of hanging calls.
 */
export function createPrisma(databaseUrl: string, opts: { poolSize?: number } = {}): PrismaClient {
  return createDatabase(databaseUrl, opts).db;
}

/**
 * createPrisma, plus a view of its pool's counts and the pool itself, for the few hot-path
 * statements that go to node-postgres directly (the pool is ended by db.$disconnect()).
 */
export function createDatabase(databaseUrl: string, opts: { poolSize?: number } = {}): { db: PrismaClient; pool: pg.Pool; poolStats(): PoolStats } {
  const max = opts.poolSize ?? 10;
  const pool = new pg.Pool({ connectionString: databaseUrl, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000 });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  return { db, pool, poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max }) };
}
