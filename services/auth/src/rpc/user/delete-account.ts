import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DeleteAccountRequest, DeleteAccountResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { SECOND_FACTOR_CODE_MAX_LENGTH } from "../../second-factor/recovery-codes.js";
import { requireString } from "../../kernel/text.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { removeOrphanedAvatar } from "../../avatar/avatar-uploads.js";

/** UserService.DeleteAccount: removes the caller's account after re-checking who they are. */
export function deleteAccount(deps: Deps) {
  const { accounts, users } = deps;
  return async (req: DeleteAccountRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof DeleteAccountResponseSchema>> => {
    const caller = callerOf(ctx);
    requireString(req.password, "password", PASSWORD_MAX_LENGTH, { optional: true });
    requireString(req.secondFactorCode, "second_factor_code", SECOND_FACTOR_CODE_MAX_LENGTH, { optional: true });
    const image = (await users.findById(caller.userId))?.image ?? null;
    await accounts.deleteAccount(caller, req.password, req.secondFactorCode, clientInfo(ctx));
    // The uploaded avatar is the user's data too.
    await removeOrphanedAvatar(deps, image);
    return {};
  };
}
