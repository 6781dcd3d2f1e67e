import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ResetPasswordRequest, ResetPasswordResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** AuthService.ResetPassword: set a new password with a reset token; ends every session. */
export function resetPassword({ accountRecovery }: Deps) {
  return async (req: ResetPasswordRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ResetPasswordResponseSchema>> => {
    await accountRecovery.resetPassword(req.token, req.newPassword, clientInfo(ctx));
    return {};
  };
}
