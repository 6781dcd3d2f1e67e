import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ChangePasswordRequest, ChangePasswordResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { SECOND_FACTOR_CODE_MAX_LENGTH } from "../../second-factor/recovery-codes.js";
import { requireString } from "../../kernel/text.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.ChangePassword: checks the current password, sets the new one, ends every other session. */
export function changePassword({ accounts }: Deps) {
  return async (req: ChangePasswordRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ChangePasswordResponseSchema>> => {
    const caller = callerOf(ctx);
    requireString(req.currentPassword, "current_password", PASSWORD_MAX_LENGTH);
    requireString(req.secondFactorCode, "second_factor_code", SECOND_FACTOR_CODE_MAX_LENGTH, { optional: true });
    // The policy (including the length limits) is checked by accounts.changePassword.
    await accounts.changePassword(caller, req.currentPassword, req.newPassword, req.secondFactorCode, clientInfo(ctx));
    return {};
  };
}
