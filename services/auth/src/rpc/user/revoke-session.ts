import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RevokeSessionRequest, RevokeSessionResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.RevokeSession: ends one of the caller's live sessions; NOT_FOUND for any other id. */
export function revokeSession({ accounts }: Deps) {
  return async (req: RevokeSessionRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RevokeSessionResponseSchema>> => {
    const caller = callerOf(ctx);
    requireString(req.sessionId, "session_id", 64);
    await accounts.revokeSession(caller, req.sessionId, clientInfo(ctx));
    return {};
  };
}
