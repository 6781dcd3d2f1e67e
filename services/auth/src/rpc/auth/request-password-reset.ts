import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RequestPasswordResetRequest, RequestPasswordResetResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { EMAIL_MAX_LENGTH } from "../../identity/email.js";
import { requireString } from "../../kernel/text.js";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** AuthService.RequestPasswordReset: mail a reset link if an account uses the address; same answer either way. */
export function requestPasswordReset({ accountRecovery }: Deps) {
  return async (req: RequestPasswordResetRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RequestPasswordResetResponseSchema>> => {
    requireString(req.email.trim(), "email", EMAIL_MAX_LENGTH);
    await accountRecovery.requestPasswordReset(req.email, clientInfo(ctx));
    return {};
  };
}
