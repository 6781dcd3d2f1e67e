import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ConfirmEmailChangeRequest, ConfirmEmailChangeResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { userToPb } from "../pb/user-pb.js";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** AuthService.ConfirmEmailChange: moves the account to the address the link was mailed to. */
export function confirmEmailChange({ emailChange }: Deps) {
  return async (req: ConfirmEmailChangeRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ConfirmEmailChangeResponseSchema>> => {
    return { user: userToPb(await emailChange.confirm(req.token, clientInfo(ctx))) };
  };
}
