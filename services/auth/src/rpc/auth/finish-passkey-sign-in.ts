import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { FinishPasskeySignInRequest, FinishPasskeySignInResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { requireResponseJson } from "../../passkey/webauthn-response.js";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { tokensToPb } from "../pb/tokens-pb.js";
import { userToPb } from "../pb/user-pb.js";

/** AuthService.FinishPasskeySignIn: verifies the assertion and opens a session, with no second step. */
export function finishPasskeySignIn({ passkeySignIn }: Deps) {
  return async (req: FinishPasskeySignInRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof FinishPasskeySignInResponseSchema>> => {
    requireResponseJson(req.responseJson, "response_json");
    const { user, tokens } = await passkeySignIn.finish(req.responseJson, clientInfo(ctx));
    return { user: userToPb(user), tokens: tokensToPb(tokens) };
  };
}
