import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RenamePasskeyRequest, RenamePasskeyResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { callerOf } from "../context.js";
import type { Deps } from "../deps.js";
import { passkeyToPb } from "../pb/passkey-pb.js";
import { passkeyId, passkeyName } from "./passkey-fields.js";

/** UserService.RenamePasskey: a new label for one of the caller's passkeys. */
export function renamePasskey({ passkeys }: Deps) {
  return async (req: RenamePasskeyRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RenamePasskeyResponseSchema>> => {
    passkeyId(req.passkeyId);
    passkeyName(req.name);
    return { passkey: passkeyToPb(await passkeys.rename(callerOf(ctx), req.passkeyId, req.name)) };
  };
}
