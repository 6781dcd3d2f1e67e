// Node socket errors and PostgreSQL SQLSTATE classes that mean "the database is not
// reachable right now", as opposed to a bug or a bad query.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "EAI_AGAIN"]);
const SQLSTATE_UNAVAILABLE = /^(08|53|57P0[1-3])/; // connection exception, insufficient resources, shutdown
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
const MESSAGES = /connection terminated|connection refused|timeout exceeded when trying to connect|can't reach database|server closed the connection/i;

/** True when an error (or any error in its cause chain) means the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = err;
  while (current && typeof current === "object" && !seen.has(current)) {
    seen.add(current);
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown; errors?: unknown };
    if (typeof e.code === "string" && (NETWORK_CODES.has(e.code) || PRISMA_UNAVAILABLE.has(e.code) || SQLSTATE_UNAVAILABLE.test(e.code))) return true;
    if (e.name === "PrismaClientInitializationError") return true;
    if (typeof e.message === "string" && MESSAGES.test(e.message)) return true;
    if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true;
    current = e.cause;
  }
  return false;
}
