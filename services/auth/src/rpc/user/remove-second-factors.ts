import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RemoveSecondFactorsRequest, RemoveSecondFactorsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.RemoveSecondFactors (admins only): removes a user's authenticator and recovery codes. */
export function removeSecondFactors({ secondFactors }: Deps) {
  return async (req: RemoveSecondFactorsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RemoveSecondFactorsResponseSchema>> => {
    requireString(req.userId, "user_id", 64);
    await secondFactors.removeByAdmin(callerOf(ctx), req.userId, clientInfo(ctx));
    return {};
  };
}
