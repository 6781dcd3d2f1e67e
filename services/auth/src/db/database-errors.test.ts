import { describe, expect, it } from "vitest";
import { isDatabaseBadInput, isDatabaseUnavailable } from "./database-errors.js";

/** The shape Prisma 7 gives a driver error: PrismaClientKnownRequestError with the adapter's mapping in meta. */
const prismaError = (code: string, cause: Record<string, unknown>) =>
  Object.assign(new Error("Invalid `prisma.user.create()` invocation"), {
    name: "PrismaClientKnownRequestError",
    code,
    meta: { driverAdapterError: { name: "DriverAdapterError", cause } },
  });

describe("database error classification", () => {
  it.each([
    ["P2039 carrying 57P01 (admin shutdown)", prismaError("P2039", { kind: "postgres", originalCode: "57P01", originalMessage: "terminating connection due to administrator command" })],
    ["P2039 carrying 57P03 (shutting down)", prismaError("P2039", { kind: "postgres", originalCode: "57P03", originalMessage: "the database system is shutting down" })],
    ["adapter DatabaseNotReachable", prismaError("P1001", { kind: "DatabaseNotReachable", host: "127.0.0.1", port: 5432 })],
    ["adapter ConnectionClosed", prismaError("P1017", { kind: "ConnectionClosed" })],
    ["pg not queryable", new Error("Client has encountered a connection error and is not queryable")],
    ["pg connection terminated", new Error("Connection terminated unexpectedly")],
    ["wrapped socket error", new Error("query failed", { cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) })],
  ])("%s is UNAVAILABLE", (_, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(isDatabaseBadInput(err)).toBe(false);
  });

  it.each([
    ["22021 NUL", prismaError("P2039", { kind: "postgres", originalCode: "22021", originalMessage: "invalid byte sequence for encoding \"UTF8\": 0x00" })],
    ["22008 datetime overflow", prismaError("P2010", { kind: "postgres", originalCode: "22008", originalMessage: "date/time field value out of range" })],
    ["22003 via the adapter's ValueOutOfRange", prismaError("P2020", { kind: "ValueOutOfRange", originalCode: "22003", cause: "integer out of range" })],
    ["plain pg error", Object.assign(new Error("integer out of range"), { code: "22003", severity: "ERROR" })],
  ])("%s is bad input, not an outage", (_, err) => {
    expect(isDatabaseBadInput(err)).toBe(true);
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it("a bug is neither", () => {
    const err = prismaError("P2021", { kind: "TableDoesNotExist", originalCode: "42P01", originalMessage: 'relation "x" does not exist' });
    expect(isDatabaseUnavailable(err)).toBe(false);
    expect(isDatabaseBadInput(err)).toBe(false);
  });
});
