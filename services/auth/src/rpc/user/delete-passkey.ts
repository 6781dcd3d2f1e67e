import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DeletePasskeyRequest, DeletePasskeyResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { SECOND_FACTOR_CODE_MAX_LENGTH } from "../../second-factor/recovery-codes.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { passkeyId } from "./passkey-fields.js";

/** UserService.DeletePasskey: removes one of the caller's passkeys after password and second factor. */
export function deletePasskey({ passkeys }: Deps) {
  return async (req: DeletePasskeyRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof DeletePasskeyResponseSchema>> => {
    passkeyId(req.passkeyId);
    requireString(req.password, "password", PASSWORD_MAX_LENGTH, { optional: true });
    requireString(req.secondFactorCode, "second_factor_code", SECOND_FACTOR_CODE_MAX_LENGTH, { optional: true });
    await passkeys.remove(callerOf(ctx), req.passkeyId, req.password, req.secondFactorCode, clientInfo(ctx));
    return {};
  };
}
