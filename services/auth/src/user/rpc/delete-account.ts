import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DeleteAccountRequest, DeleteAccountResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { requireString } from "../../server/errors.js";
import { clientInfo } from "../../server/request-context.js";
import type { Deps } from "../../server/deps.js";

/** UserService.DeleteAccount: removes the caller's account after re-checking who they are. */
export function deleteAccount({ authn, accounts }: Deps) {
  return async (req: DeleteAccountRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof DeleteAccountResponseSchema>> => {
    const caller = await authn.caller(ctx);
    requireString(req.password, "password", PASSWORD_MAX_LENGTH, { optional: true });
    await accounts.deleteAccount(caller, req.password, clientInfo(ctx));
    return {};
  };
}
