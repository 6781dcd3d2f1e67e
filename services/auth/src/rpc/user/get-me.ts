import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetMeRequest, GetMeResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { userToPb } from "../pb/user-pb.js";
import type { Deps } from "../deps.js";
import { callerOf } from "../context.js";

/** UserService.GetMe: the caller's own account. */
export function getMe({ accounts }: Deps) {
  return async (_req: GetMeRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof GetMeResponseSchema>> => {
    const caller = callerOf(ctx);
    return { user: userToPb(await accounts.me(caller)) };
  };
}
