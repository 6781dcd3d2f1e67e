import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RequestEmailChangeRequest, RequestEmailChangeResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { EMAIL_MAX_LENGTH } from "../../identity/email.js";
import { requireString } from "../../kernel/text.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { SECOND_FACTOR_CODE_MAX_LENGTH } from "../../second-factor/recovery-codes.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.RequestEmailChange: mails a confirmation link to the new address after re-checking who the caller is. */
export function requestEmailChange({ emailChange }: Deps) {
  return async (req: RequestEmailChangeRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RequestEmailChangeResponseSchema>> => {
    requireString(req.newEmail.trim(), "new_email", EMAIL_MAX_LENGTH);
    requireString(req.password, "password", PASSWORD_MAX_LENGTH, { optional: true });
    requireString(req.secondFactorCode, "second_factor_code", SECOND_FACTOR_CODE_MAX_LENGTH, { optional: true });
    await emailChange.request(callerOf(ctx), req.newEmail, req.password, req.secondFactorCode, clientInfo(ctx));
    return {};
  };
}
