import { Gauge, type Registry } from "prom-client";
import type { OutboxGauges } from "../mail/outbox-gauges.js";

/** What the gauges read at scrape time; each source is cheap or cached. */
export interface GaugeSources {
  /** One outbox query; called at most once per `outboxCacheMs`, however often /metrics is scraped. */
  outbox(): Promise<OutboxGauges>;
  outboxCacheMs?: number;
  /** The pg pool: connections open, idle, and callers waiting for one; its size limit. */
  pool(): { total: number; idle: number; waiting: number; max: number };
  /** argon2 hashes and verifies in flight. */
  argon2InFlight(): number;
  /** From KeyRing.schedule(): ms since the epoch. */
  keySchedule(): Promise<{ activeSince: number | undefined; newestActivatesAt: number | undefined }>;
  /** TESSERA_KEY_ROTATION, seconds. */
  keyRotationSeconds: number;
  /** Whether grpc.health says SERVING (database reachable, not shutting down). */
  serving(): boolean;
  now?: () => number;
}

/**
 * Registers the gauges that are read when /metrics is scraped rather than kept up to date on
 * every change: outbox, database pool, argon2 queue, signing keys, readiness.
 */
export function registerScrapeGauges(registry: Registry, src: GaugeSources): void {
  const registers = [registry];
  const now = src.now ?? Date.now;
  const outbox = cachedFor(src.outboxCacheMs ?? 5_000, src.outbox, now);
  const gauge = (name: string, help: string, read: (g: Gauge) => void | Promise<void>) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        await read(this);
      },
    });
  // A failed outbox read (database down) keeps the last values; the readiness gauge tells why.
  const fromOutbox = (pick: (o: OutboxGauges) => number) => async (g: Gauge) => {
    const o = await outbox().catch(() => undefined);
    if (o) g.set(pick(o));
  };
  gauge("tessera_outbox_queued", "Mail waiting in the outbox (QUEUED), due or backing off.", fromOutbox((o) => o.queued));
  gauge("tessera_outbox_oldest_queued_age_seconds", "Seconds the longest-waiting queued mail has waited; 0 when the outbox is empty.", fromOutbox((o) => o.oldestQueuedSeconds));
  gauge("tessera_outbox_failed", "Mail given up on (FAILED, retry window over) and not yet purged.", fromOutbox((o) => o.failed));
  gauge("tessera_db_pool_in_use", "Database connections checked out of this process's pool.", (g) => {
    const p = src.pool();
    g.set(p.total - p.idle);
  });
  gauge("tessera_db_pool_idle", "Open database connections idle in this process's pool.", (g) => g.set(src.pool().idle));
  gauge("tessera_db_pool_waiting", "Queries waiting for a database connection from this process's pool.", (g) => g.set(src.pool().waiting));
  gauge("tessera_db_pool_max", "Size limit of this process's database pool.", (g) => g.set(src.pool().max));
  gauge("tessera_argon2_in_flight", "argon2 hashes and verifies started and not finished (libuv runs UV_THREADPOOL_SIZE, default 4, at once).", (g) =>
    g.set(src.argon2InFlight()),
  );
  const keys = cachedFor(1_000, src.keySchedule, now);
  gauge("tessera_signing_key_age_seconds", "Seconds since the active signing key started signing.", async (g) => {
    const s = await keys().catch(() => undefined);
    if (s?.activeSince !== undefined) g.set((now() - s.activeSince) / 1000);
  });
  gauge(
    "tessera_signing_key_next_activation_seconds",
    "Seconds until the newest published key starts signing; zero or negative when no successor is published yet.",
    async (g) => {
      const s = await keys().catch(() => undefined);
      if (s?.newestActivatesAt !== undefined) g.set((s.newestActivatesAt - now()) / 1000);
    },
  );
  gauge("tessera_signing_key_rotation_seconds", "Configured signing key rotation period (TESSERA_KEY_ROTATION).", (g) => g.set(src.keyRotationSeconds));
  gauge("tessera_serving", "1 while grpc.health says SERVING (database reachable, not draining), else 0.", (g) => g.set(src.serving() ? 1 : 0));
}

/** `read`, called at most once per `ms`; concurrent callers share one call. */
function cachedFor<T>(ms: number, read: () => Promise<T>, now: () => number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    const t = now();
    if (last === undefined || t - last.at >= ms) last = { at: t, value: read() };
    return last.value;
  };
}
