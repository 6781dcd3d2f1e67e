import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RevokeAllSessionsRequest, RevokeAllSessionsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { clientInfo } from "../../server/request-context.js";
import type { Deps } from "../../server/deps.js";

/** UserService.RevokeAllSessions: ends every live session of the caller, optionally but the current one. */
export function revokeAllSessions({ authn, accounts }: Deps) {
  return async (req: RevokeAllSessionsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RevokeAllSessionsResponseSchema>> => {
    const caller = await authn.caller(ctx);
    const revokedCount = await accounts.revokeAllSessions(caller, req.keepCurrent, clientInfo(ctx));
    return { revokedCount };
  };
}
