import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RequestEmailVerificationResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Deps } from "../deps.js";
import { callerOf } from "../context.js";

/** AuthService.RequestEmailVerification: mail a new verification link to the caller's address. */
export function requestEmailVerification({ accountRecovery }: Deps) {
  return async (_req: unknown, ctx: HandlerContext): Promise<MessageInitShape<typeof RequestEmailVerificationResponseSchema>> => {
    const caller = callerOf(ctx);
    await accountRecovery.requestEmailVerification(caller.userId);
    return {};
  };
}
