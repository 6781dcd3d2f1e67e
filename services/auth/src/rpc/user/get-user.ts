import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetUserRequest, GetUserResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { userToPb } from "../pb/user-pb.js";
import { requireString } from "../../kernel/text.js";
import type { Deps } from "../deps.js";
import { callerOf } from "../context.js";

/** UserService.GetUser: the caller's own account, or any account for an admin. */
export function getUser({ accounts }: Deps) {
  return async (req: GetUserRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof GetUserResponseSchema>> => {
    const caller = callerOf(ctx);
    requireString(req.userId, "user_id", 64);
    return { user: userToPb(await accounts.get(caller, req.userId)) };
  };
}
