import { DomainError } from "../kernel/errors.js";

// Classifies errors from Prisma, @prisma/adapter-pg and node-postgres. Prisma 7 wraps a driver
// error as a PrismaClientKnownRequestError whose `meta.driverAdapterError.cause` holds the
// adapter's mapping ({ kind, originalCode: SQLSTATE, originalMessage }); pg errors carry the
// SQLSTATE as `code`; socket errors carry the errno name as `code`. Everything is looked for
// along the whole `cause` chain.

// Node socket errors and PostgreSQL SQLSTATE classes that mean "the database is not
// reachable right now", as opposed to a bug or a bad query.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "EAI_AGAIN"]);
// 08: connection exception; 53: insufficient resources; 57P01 admin shutdown, 57P02 crash
// shutdown, 57P03 cannot connect now (starting up / shutting down); 57P05 idle session timeout.
const SQLSTATE_UNAVAILABLE = /^(08|53|57P0[1-35])/;
// P1xxx: connection-level; P2024: pool timeout; P2037: too many connections; P2039 is raised
// with a driver error it has no code for, so it only counts when the SQLSTATE inside says so.
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
// The adapter's names for socket-level failures.
const ADAPTER_KINDS_UNAVAILABLE = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const MESSAGES =
  /connection terminated|connection refused|timeout exceeded when trying to connect|can't reach database|server closed the connection|not queryable|terminating connection due to administrator command|the database system is (shutting down|starting up|in recovery mode)|connection ended unexpectedly|Connection is closed/i;

// SQLSTATEs caused by a value the client sent, which validation should have refused: the
// last line, so a missed check answers INVALID_ARGUMENT rather than INTERNAL.
// 22021 invalid byte sequence (NUL in text), 22P05 untranslatable character, 22008 datetime
// field overflow, 22003 numeric value out of range.
const SQLSTATE_BAD_INPUT = new Set(["22021", "22P05", "22008", "22003"]);
// P2020: "value out of range for the type" (Prisma's own check).
const PRISMA_BAD_INPUT = new Set(["P2020"]);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  name?: unknown;
  errors?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown; originalMessage?: unknown } } };
  kind?: unknown;
  originalCode?: unknown;
  originalMessage?: unknown;
}

/** Every error object reachable from `err` through `cause`, `errors` and Prisma's driver-adapter meta. */
function* chain(err: unknown): Generator<ErrorLike> {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!current || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const e = current as ErrorLike;
    yield e;
    queue.push(e.cause, e.meta?.driverAdapterError, e.meta?.driverAdapterError?.cause);
    if (Array.isArray(e.errors)) queue.push(...e.errors);
  }
}

/** The SQLSTATE an error object carries, if any (pg's `code`, or the adapter's `originalCode`). */
function sqlState(e: ErrorLike): string | undefined {
  for (const code of [e.originalCode, e.code]) if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("P")) return code;
  return undefined;
}

/** True when an error (or any error in its cause chain) means the database is unreachable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const e of chain(err)) {
    const state = sqlState(e);
    if (state && SQLSTATE_UNAVAILABLE.test(state)) return true;
    if (typeof e.code === "string" && (NETWORK_CODES.has(e.code) || PRISMA_UNAVAILABLE.has(e.code))) return true;
    if (typeof e.kind === "string" && ADAPTER_KINDS_UNAVAILABLE.has(e.kind)) return true;
    if (e.name === "PrismaClientInitializationError") return true;
    for (const message of [e.message, e.originalMessage]) if (typeof message === "string" && MESSAGES.test(message)) return true;
  }
  return false;
}

/**
 * True when PostgreSQL refused a value the client sent (bad byte sequence, datetime or numeric
 * overflow): a client mistake that input validation missed, so INVALID_ARGUMENT, not INTERNAL.
 */
export function isDatabaseBadInput(err: unknown): boolean {
  for (const e of chain(err)) {
    const state = sqlState(e);
    if (state && SQLSTATE_BAD_INPUT.has(state)) return true;
    if (typeof e.code === "string" && PRISMA_BAD_INPUT.has(e.code)) return true;
  }
  return false;
}

/** The Prisma error code of `err` (e.g. "P2002"), if it is a Prisma known-request error. */
function prismaCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("P") ? code : undefined;
}

/** True when a unique constraint refused the write (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return prismaCode(err) === "P2002";
}

/** True when a foreign key pointed at no row (Prisma P2003), e.g. a row for a user who is gone. */
export function isMissingReference(err: unknown): boolean {
  return prismaCode(err) === "P2003";
}

/** True when a record the operation needs does not exist (Prisma P2025: findUniqueOrThrow, update, delete). */
export function isRecordMissing(err: unknown): boolean {
  return prismaCode(err) === "P2025";
}

/**
 * The one mapping of database failures to domain errors: unreachable → server.database_unavailable
 * (safe to retry), a value PostgreSQL refused → request.invalid_argument without a field (the
 * database does not say which; validation should have caught it, so the cause is logged).
 * Undefined for anything else, which is a bug.
 */
export function databaseErrorToDomain(err: unknown): DomainError | undefined {
  if (isDatabaseUnavailable(err)) return new DomainError("server.database_unavailable", undefined, { cause: err });
  if (isDatabaseBadInput(err)) return new DomainError("request.invalid_argument", undefined, { cause: err });
  return undefined;
}
