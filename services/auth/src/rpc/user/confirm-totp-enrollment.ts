import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ConfirmTotpEnrollmentRequest, ConfirmTotpEnrollmentResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { SECOND_FACTOR_CODE_MAX_LENGTH } from "../../second-factor/recovery-codes.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.ConfirmTotpEnrollment: activates the pending authenticator; returns the recovery codes. */
export function confirmTotpEnrollment({ secondFactors }: Deps) {
  return async (req: ConfirmTotpEnrollmentRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ConfirmTotpEnrollmentResponseSchema>> => {
    requireString(req.code, "code", SECOND_FACTOR_CODE_MAX_LENGTH);
    return { recoveryCodes: await secondFactors.confirmTotp(callerOf(ctx), req.code, clientInfo(ctx)) };
  };
}
