import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListPasskeysRequest, ListPasskeysResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { callerOf } from "../context.js";
import type { Deps } from "../deps.js";
import { passkeyToPb } from "../pb/passkey-pb.js";

/** UserService.ListPasskeys: the caller's passkeys, oldest first. */
export function listPasskeys({ passkeys }: Deps) {
  return async (_req: ListPasskeysRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListPasskeysResponseSchema>> => {
    return { passkeys: (await passkeys.list(callerOf(ctx))).map(passkeyToPb) };
  };
}
