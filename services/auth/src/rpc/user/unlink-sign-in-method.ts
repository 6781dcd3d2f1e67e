import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UnlinkSignInMethodRequest, UnlinkSignInMethodResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { DomainError } from "../../kernel/errors.js";

/**
 * UserService.UnlinkSignInMethod: removes one of the caller's provider links; NOT_FOUND for
 * any id that is not one of theirs; FAILED_PRECONDITION for the last way in.
 */
export function unlinkSignInMethod({ signInMethods: store }: Deps) {
  return async (req: UnlinkSignInMethodRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof UnlinkSignInMethodResponseSchema>> => {
    const caller = callerOf(ctx);
    requireString(req.linkedAccountId, "linked_account_id", 64);
    const outcome = await store.unlink(caller.userId, req.linkedAccountId, clientInfo(ctx));
    if (outcome === "missing") throw new DomainError("account.link_not_found");
    return {};
  };
}
