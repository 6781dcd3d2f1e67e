import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ListSignInMethodsRequest, ListSignInMethodsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { DomainError } from "../../kernel/errors.js";
import type { Deps } from "../deps.js";
import { callerOf } from "../context.js";

/** UserService.ListSignInMethods: the caller's password (set or not) and provider links. */
export function listSignInMethods({ signInMethods: store }: Deps) {
  return async (_req: ListSignInMethodsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListSignInMethodsResponseSchema>> => {
    const caller = callerOf(ctx);
    const methods = await store.list(caller.userId);
    if (!methods) throw new DomainError("session.revoked");
    // A link is the last way in when there is no password and no other link.
    const removable = methods.hasPassword || methods.links.length > 1;
    return {
      hasPassword: methods.hasPassword,
      linkedAccounts: methods.links.map((l) => ({ id: l.id, provider: l.provider, createTime: timestampFromDate(l.createdAt), removable })),
    };
  };
}
