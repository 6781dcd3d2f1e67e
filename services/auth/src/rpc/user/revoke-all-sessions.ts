import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RevokeAllSessionsRequest, RevokeAllSessionsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { requireString } from "../../kernel/text.js";

/** UserService.RevokeAllSessions: ends every live session of the caller (optionally but the current one), or an admin ends user_id's. */
export function revokeAllSessions({ accounts }: Deps) {
  return async (req: RevokeAllSessionsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RevokeAllSessionsResponseSchema>> => {
    const caller = callerOf(ctx);
    requireString(req.userId, "user_id", 64, { optional: true });
    const revokedCount = await accounts.revokeAllSessions(caller, req.keepCurrent, clientInfo(ctx), req.userId);
    return { revokedCount };
  };
}
