import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RevokeAllSessionsRequest, RevokeAllSessionsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.RevokeAllSessions: ends every live session of the caller, optionally but the current one. */
export function revokeAllSessions({ accounts }: Deps) {
  return async (req: RevokeAllSessionsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RevokeAllSessionsResponseSchema>> => {
    const caller = callerOf(ctx);
    const revokedCount = await accounts.revokeAllSessions(caller, req.keepCurrent, clientInfo(ctx));
    return { revokedCount };
  };
}
