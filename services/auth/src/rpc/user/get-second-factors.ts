import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { GetSecondFactorsRequest, GetSecondFactorsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { callerOf } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.GetSecondFactors: whether the authenticator is on, how many recovery codes are left, how many passkeys. */
export function getSecondFactors({ secondFactors }: Deps) {
  return async (_req: GetSecondFactorsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof GetSecondFactorsResponseSchema>> => {
    const status = await secondFactors.status(callerOf(ctx));
    return {
      totpEnabled: status.totpEnabledAt !== null,
      totpEnabledTime: status.totpEnabledAt ? timestampFromDate(status.totpEnabledAt) : undefined,
      recoveryCodesRemaining: status.recoveryCodesRemaining,
      passkeyCount: status.passkeyCount,
    };
  };
}
