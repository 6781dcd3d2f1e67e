import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { FinishPasskeyRegistrationRequest, FinishPasskeyRegistrationResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { requireResponseJson } from "../../passkey/webauthn-response.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { passkeyToPb } from "../pb/passkey-pb.js";
import { passkeyName } from "./passkey-fields.js";

/** UserService.FinishPasskeyRegistration: stores the passkey; the account's first second factor also gets recovery codes. */
export function finishPasskeyRegistration({ passkeys }: Deps) {
  return async (req: FinishPasskeyRegistrationRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof FinishPasskeyRegistrationResponseSchema>> => {
    requireResponseJson(req.responseJson, "response_json");
    passkeyName(req.name, { optional: true });
    const { passkey, recoveryCodes } = await passkeys.finishRegistration(callerOf(ctx), req.responseJson, req.name, clientInfo(ctx));
    return { passkey: passkeyToPb(passkey), recoveryCodes };
  };
}
