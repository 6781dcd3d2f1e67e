import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BeginPasskeyRegistrationRequest, BeginPasskeyRegistrationResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireString } from "../../kernel/text.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** UserService.BeginPasskeyRegistration: WebAuthn creation options, after the caller proved who they are. */
export function beginPasskeyRegistration({ passkeys }: Deps) {
  return async (req: BeginPasskeyRegistrationRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof BeginPasskeyRegistrationResponseSchema>> => {
    requireString(req.password, "password", PASSWORD_MAX_LENGTH, { optional: true });
    return { optionsJson: await passkeys.beginRegistration(callerOf(ctx), req.password, clientInfo(ctx)) };
  };
}
