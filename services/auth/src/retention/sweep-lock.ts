import pg from "pg";

/** The advisory lock key every replica's sweeper takes ("tesseraR" in ASCII); nothing else uses it. */
export const SWEEP_LOCK_KEY = "8387236820507844946";

/**
 * Takes the sweep lock, a session-level pg_try_advisory_lock, on a connection of its own; null
 * when another sweeper holds it. The returned release ends that connection, which is what frees
 * the lock (also when the process dies: PostgreSQL drops the session's locks with it).
 *
 * Why a dedicated connection and not Prisma's pool: an advisory lock belongs to the session that
 * took it, and the pool hands each query whichever connection is free, so a lock taken through
 * it would be held by a connection that later serves requests, and released (or not) at random.
 * A transaction-level lock (pg_try_advisory_xact_lock) in an interactive transaction would pin a
 * connection, but Prisma ends interactive transactions after a timeout (5 s by default), which
 * would drop the lock in the middle of a long sweep; it would also hold one of the pool's
 * connections for the whole sweep, and a pool of one (the CLI's) would then wait forever for the
 * batches. The deletes themselves run through the pool, each statement its own short
 * transaction. If this connection is lost mid-sweep, another replica may start sweeping too:
 * harmless, as the deletes are idempotent and skip rows locked by each other.
 *
 * Needs a direct (or session-pooled) connection: a transaction-pooling proxy such as PgBouncer
 * in transaction mode does not keep session locks.
 */
export async function trySweepLock(databaseUrl: string): Promise<(() => Promise<void>) | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000, application_name: "tessera-retention" });
  // A connection the server ends while idle reports here; the sweep goes on without the lock.
  client.on("error", () => undefined);
  const end = () => client.end().catch(() => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS locked", [SWEEP_LOCK_KEY]);
    if (rows[0]?.locked) return end;
  } catch (err) {
    await end();
    throw err;
  }
  await end();
  return null;
}
