// What the pages say when the auth service refuses something: actionable, never internal.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it, vi } from "vitest";
import { ErrorDetailSchema } from "../../gen/tessera/errors/v1/error_detail_pb.js";
import { userMessage } from "../lib/server/errors.js";

const rpcError = (code: Code, message: string, reason = "", metadata: Record<string, string> = {}) =>
  new ConnectError(message, code, metadata, [{ desc: ErrorDetailSchema, value: create(ErrorDetailSchema, { reason }) }]);

describe("userMessage", () => {
  it("tells a wrong password from a dead link from an ended session", () => {
    expect(userMessage(rpcError(Code.Unauthenticated, "invalid email or password", "auth.invalid_credentials"))).toBe("Wrong email or password.");
    expect(userMessage(rpcError(Code.Unauthenticated, "this link is invalid", "token.invalid"))).toBe(
      "This link is invalid or has expired. Request a new one.",
    );
    expect(userMessage(rpcError(Code.Unauthenticated, "session has ended", "session.revoked"))).toBe("Your session has ended. Sign in again.");
  });

  it("passes the service's validation message on, field first and readable", () => {
    expect(userMessage(rpcError(Code.InvalidArgument, "new_password: password must be at least 8 characters"))).toBe(
      "New password: password must be at least 8 characters",
    );
  });

  it("says how long to wait when throttled", () => {
    expect(userMessage(rpcError(Code.ResourceExhausted, "too many attempts", "auth.too_many_attempts", { "retry-after": "42" }))).toBe(
      "Too many attempts. Try again in 42 seconds.",
    );
    expect(userMessage(rpcError(Code.ResourceExhausted, "too many attempts", "", { "retry-after": "900" }))).toBe(
      "Too many attempts. Try again in 15 minutes.",
    );
    expect(userMessage(rpcError(Code.ResourceExhausted, "too many attempts"))).toBe("Too many attempts. Wait a moment and try again.");
  });

  it("never shows an unexpected error's text", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(userMessage(new Error("ECONNRESET at pg.Client.query (/srv/app/db.js:12)"))).toBe("Something went wrong. Try again.");
    expect(userMessage(rpcError(Code.Internal, "relation \"users\" does not exist"))).toBe("Something went wrong. Try again.");
    expect(log).toHaveBeenCalledTimes(2);
    log.mockRestore();
  });
});
