import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { VerifyEmailRequest, VerifyEmailResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { userToPb } from "../pb/user-pb.js";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** AuthService.VerifyEmail: mark the address verified with the token from the verification mail. */
export function verifyEmail({ accountRecovery }: Deps) {
  return async (req: VerifyEmailRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof VerifyEmailResponseSchema>> => {
    return { user: userToPb(await accountRecovery.verifyEmail(req.token, clientInfo(ctx))) };
  };
}
