import type { Socket } from "node:net";

/**
 * Bounds the open connections of each client address. The key is the socket's own peer address,
 * never a forwarded header: a header costs nothing to forge, a TCP handshake from an address does
 * not. Connections past the bound are closed at once, before a byte is read, as nginx's
 * `limit_conn` and HAProxy's `conn_cur` rules do.
 *
 * IPv6 addresses are counted one by one (not per /64): the bound is against one host holding many
 * sockets, not a network of hosts; the per-IP throttles of the auth service cover that case.
 */
export class ConnectionsPerAddress {
  readonly #open = new Map<string, number>();

  /**
   * @param max - most open connections per peer address
   * @param exempt - peers not counted: a configured reverse proxy carries every client's
   *   connections from one address, and bounding it would bound the whole service (nginx
   *   deployments exempt their balancers from `limit_conn` the same way)
   */
  constructor(
    readonly max: number,
    private readonly exempt: (address: string) => boolean = () => false,
  ) {}

  /**
   * Counts `socket` against its address until it closes; false (and the socket destroyed) when
   * the address already holds `max` connections.
   */
  admit(socket: Socket): boolean {
    const address = socket.remoteAddress ?? "";
    if (this.exempt(address)) return true;
    const open = this.#open.get(address) ?? 0;
    if (open >= this.max) {
      socket.destroy();
      return false;
    }
    this.#open.set(address, open + 1);
    socket.once("close", () => {
      const left = (this.#open.get(address) ?? 1) - 1;
      if (left === 0) this.#open.delete(address);
      else this.#open.set(address, left);
    });
    return true;
  }

  /** Open connections of `address` (tests, metrics). */
  count(address: string): number {
    return this.#open.get(address) ?? 0;
  }
}
