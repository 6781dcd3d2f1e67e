import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListSessionsRequest, ListSessionsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Deps } from "../deps.js";
import { sessionToPb } from "../pb/session-pb.js";
import { callerOf } from "../context.js";
import { requireString } from "../../kernel/text.js";

/** UserService.ListSessions: the caller's (or for an admin, user_id's) live sessions, newest first, the current one marked. */
export function listSessions({ accounts }: Deps) {
  return async (req: ListSessionsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListSessionsResponseSchema>> => {
    const caller = callerOf(ctx);
    requireString(req.userId, "user_id", 64, { optional: true });
    const sessions = await accounts.listSessions(caller, req.userId);
    return { sessions: sessions.map((s) => sessionToPb(s, caller.sessionId)) };
  };
}
