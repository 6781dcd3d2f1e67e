import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BeginPasskeySignInRequest, BeginPasskeySignInResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

/** AuthService.BeginPasskeySignIn: request options for a passwordless sign-in with a discoverable passkey. */
export function beginPasskeySignIn({ passkeySignIn }: Deps) {
  return async (_req: BeginPasskeySignInRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof BeginPasskeySignInResponseSchema>> => {
    return { optionsJson: await passkeySignIn.begin(clientInfo(ctx)) };
  };
}
