import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListSessionsRequest, ListSessionsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Deps } from "../../server/deps.js";
import { sessionToPb } from "../pb/session-pb.js";

/** UserService.ListSessions: the caller's live sessions, newest first, the current one marked. */
export function listSessions({ authn, accounts }: Deps) {
  return async (_req: ListSessionsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListSessionsResponseSchema>> => {
    const caller = await authn.caller(ctx);
    const sessions = await accounts.listSessions(caller);
    return { sessions: sessions.map((s) => sessionToPb(s, caller.sessionId)) };
  };
}
