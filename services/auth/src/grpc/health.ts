/**
 * Standard gRPC health checking (grpc.health.v1) for a Connect-Node router.
 *
 * @see https://github.com/grpc/grpc/blob/master/doc/health-checking.md
 */
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../../../gen/health/v1/health_pb.js";

export { ServingStatus };

/** Name under which the whole server's status is kept, as the gRPC spec defines. */
export const OVERALL_SERVICE = "";

/** Called with each status change, or with nothing when the server shuts down. */
type Listener = (change?: { service: string; status: ServingStatus }) => void;

/**
 * Per-service serving status, shared by whoever decides health (startup, DB
 * probes, shutdown) and the Health service that reports it.
 *
 * Passed around explicitly rather than kept as a module singleton so tests
 * and multiple servers in one process don't share state.
 */
export class HealthStatus {
  readonly #statuses = new Map<string, ServingStatus>();
  readonly #listeners = new Set<Listener>();
  #shutDown = false;

  /**
   * @param initial - Statuses to start with. Defaults to the whole server
   *   ("") SERVING, like grpc-go's health server, so a bare server is healthy.
   */
  constructor(initial: Readonly<Record<string, ServingStatus>> = { [OVERALL_SERVICE]: ServingStatus.SERVING }) {
    for (const [service, status] of Object.entries(initial)) this.#statuses.set(service, status);
  }

  /** True once {@link HealthStatus.shutdown} was called. */
  get isShutDown(): boolean {
    return this.#shutDown;
  }

  /** Status of a service, or undefined if it was never registered. */
  get(service: string): ServingStatus | undefined {
    return this.#statuses.get(service);
  }

  /** Snapshot of all known services and their status. */
  entries(): [string, ServingStatus][] {
    return [...this.#statuses];
  }

  /**
   * Set a service's status and notify watchers. Ignored after shutdown so a
   * late probe can't flip a draining server back to SERVING.
   */
  set(service: string, status: ServingStatus): void {
    if (this.#shutDown) return;
    this.#update(service, status);
  }

  /**
   * Mark every service NOT_SERVING and end all Watch streams (after they have
   * seen NOT_SERVING), so load balancers stop routing here and open watches
   * don't hold up a graceful server close.
   */
  shutdown(): void {
    if (this.#shutDown) return;
    for (const service of this.#statuses.keys()) this.#update(service, ServingStatus.NOT_SERVING);
    this.#shutDown = true;
    // Wake idle watchers so they notice the shutdown and return.
    for (const listener of [...this.#listeners]) listener();
  }

  /**
   * Stream a service's status: the current one at once (SERVICE_UNKNOWN if
   * not registered), then every change, until `signal` aborts or shutdown.
   *
   * Only the latest status is buffered: a slow client skips intermediate
   * states instead of making the server queue them without bound.
   */
  async *watch(service: string, signal: AbortSignal): AsyncGenerator<ServingStatus, void, undefined> {
    let latest = this.#statuses.get(service) ?? ServingStatus.SERVICE_UNKNOWN;
    let wake: (() => void) | undefined;
    const listener: Listener = (change) => {
      if (change?.service === service) latest = change.status;
      wake?.();
    };
    const onAbort = (): void => wake?.();
    this.#listeners.add(listener);
    signal.addEventListener("abort", onAbort);
    try {
      let sent: ServingStatus | undefined;
      for (;;) {
        if (signal.aborted) return;
        if (latest !== sent) {
          sent = latest;
          yield sent;
          continue;
        }
        if (this.#shutDown) return;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.#listeners.delete(listener);
      signal.removeEventListener("abort", onAbort);
    }
  }

  #update(service: string, status: ServingStatus): void {
    this.#statuses.set(service, status);
    for (const listener of [...this.#listeners]) listener({ service, status });
  }
}

/**
 * Register grpc.health.v1.Health (Check, Watch, List) on `router`, backed by
 * `health`.
 */
export function registerHealth(router: ConnectRouter, health: HealthStatus): ConnectRouter {
  return router.service(Health, {
    check(request) {
      const status = health.get(request.service);
      if (status === undefined) {
        // The spec requires NOT_FOUND so clients can tell "unknown" from "down".
        throw new ConnectError(`unknown service "${request.service}"`, Code.NotFound);
      }
      return { status };
    },
    async *watch(request, context) {
      for await (const status of health.watch(request.service, context.signal)) yield { status };
    },
    list() {
      const statuses = Object.fromEntries(health.entries().map(([service, status]) => [service, { status }]));
      return { statuses };
    },
  });
}
