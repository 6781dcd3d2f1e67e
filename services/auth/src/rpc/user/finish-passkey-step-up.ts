import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { FinishPasskeyStepUpRequest, FinishPasskeyStepUpResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireResponseJson } from "../../passkey/webauthn-response.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.FinishPasskeyStepUp: a single-use step-up token for one sensitive change by this session. */
export function finishPasskeyStepUp({ stepUpGrants }: Deps) {
  return async (req: FinishPasskeyStepUpRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof FinishPasskeyStepUpResponseSchema>> => {
    requireResponseJson(req.responseJson, "response_json");
    const { token, expiresAt } = await stepUpGrants.finish(callerOf(ctx), req.responseJson, clientInfo(ctx));
    return { stepUpToken: token, expireTime: timestampFromDate(expiresAt) };
  };
}
