import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListSessionsRequest, ListSessionsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Deps } from "../deps.js";
import { sessionToPb } from "../pb/session-pb.js";
import { callerOf } from "../context.js";

/** UserService.ListSessions: the caller's live sessions, newest first, the current one marked. */
export function listSessions({ accounts }: Deps) {
  return async (_req: ListSessionsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListSessionsResponseSchema>> => {
    const caller = callerOf(ctx);
    const sessions = await accounts.listSessions(caller);
    return { sessions: sessions.map((s) => sessionToPb(s, caller.sessionId)) };
  };
}
