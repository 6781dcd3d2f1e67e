import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DisableTotpRequest, DisableTotpResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { SECOND_FACTOR_CODE_MAX_LENGTH } from "../../second-factor/recovery-codes.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.DisableTotp: removes the authenticator and recovery codes after password and code. */
export function disableTotp({ secondFactors }: Deps) {
  return async (req: DisableTotpRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof DisableTotpResponseSchema>> => {
    requireString(req.password, "password", PASSWORD_MAX_LENGTH, { optional: true });
    requireString(req.secondFactorCode, "second_factor_code", SECOND_FACTOR_CODE_MAX_LENGTH, { optional: true });
    await secondFactors.disableTotp(callerOf(ctx), req.password, req.secondFactorCode, clientInfo(ctx));
    return {};
  };
}
