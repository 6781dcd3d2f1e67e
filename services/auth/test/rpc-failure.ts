/** What a client sees of an RPC that fails: the ConnectError, or its code, ErrorDetail and message. */
import { ConnectError, type Code } from "@connectrpc/connect";
import { expect } from "vitest";
import { ErrorDetailSchema } from "../../../gen/tessera/errors/v1/error_detail_pb.js";

/** The ConnectError a call fails with; fails the test if the call succeeds. */
export async function connectErrorOf(call: Promise<unknown>): Promise<ConnectError> {
  return call.then(
    () => expect.unreachable("the call succeeded"),
    (e: unknown) => ConnectError.from(e),
  );
}

/** Code, ErrorDetail reason and field, and message of a call that must fail. */
export async function failure(call: Promise<unknown>): Promise<{ code: Code; reason?: string; field?: string; message: string }> {
  const err = await connectErrorOf(call);
  const [detail] = err.findDetails(ErrorDetailSchema);
  return { code: err.code, reason: detail?.reason, field: detail?.field, message: err.rawMessage };
}

/** Code, ErrorDetail reason and field of a call that must fail: failure() without the message, to compare whole. */
export async function failureDetail(call: Promise<unknown>): Promise<{ code: Code; reason?: string; field?: string }> {
  const { code, reason, field } = await failure(call);
  return { code, reason, field };
}
