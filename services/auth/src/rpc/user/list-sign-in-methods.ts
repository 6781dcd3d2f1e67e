import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { ListSignInMethodsRequest, ListSignInMethodsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { unauthenticated } from "../../server/errors.js";
import type { Deps } from "../../server/deps.js";
import { SignInMethodStore } from "../../user/provider-links.js";

/** UserService.ListSignInMethods: the caller's password (set or not) and provider links. */
export function listSignInMethods({ authn, db }: Deps) {
  const store = new SignInMethodStore(db);
  return async (_req: ListSignInMethodsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListSignInMethodsResponseSchema>> => {
    const caller = await authn.caller(ctx);
    const methods = await store.list(caller.userId);
    if (!methods) throw unauthenticated("session.revoked", "session has ended; sign in again");
    // A link is the last way in when there is no password and no other link.
    const removable = methods.hasPassword || methods.links.length > 1;
    return {
      hasPassword: methods.hasPassword,
      linkedAccounts: methods.links.map((l) => ({ id: l.id, provider: l.provider, createTime: timestampFromDate(l.createdAt), removable })),
    };
  };
}
