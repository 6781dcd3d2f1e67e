import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BeginPasskeyStepUpRequest, BeginPasskeyStepUpResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { callerOf } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.BeginPasskeyStepUp: request options limited to the caller's passkeys, bound to this session. */
export function beginPasskeyStepUp({ stepUpGrants }: Deps) {
  return async (_req: BeginPasskeyStepUpRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof BeginPasskeyStepUpResponseSchema>> => {
    return { optionsJson: await stepUpGrants.begin(callerOf(ctx)) };
  };
}
