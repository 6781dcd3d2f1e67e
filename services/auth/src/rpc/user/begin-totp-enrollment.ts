import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BeginTotpEnrollmentRequest, BeginTotpEnrollmentResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.BeginTotpEnrollment: a new authenticator secret, pending until confirmed. */
export function beginTotpEnrollment({ secondFactors }: Deps) {
  return async (req: BeginTotpEnrollmentRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof BeginTotpEnrollmentResponseSchema>> => {
    requireString(req.password, "password", PASSWORD_MAX_LENGTH, { optional: true });
    const { secret, uri } = await secondFactors.beginTotp(callerOf(ctx), req.password, clientInfo(ctx));
    return { secret, otpauthUri: uri };
  };
}
