import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DeleteUserRequest, DeleteUserResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { HandlerContext } from "@connectrpc/connect";
import { removeOrphanedAvatar } from "../../avatar/avatar-uploads.js";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { userId } from "./fields.js";

/** AdapterService.DeleteUser: removes a user with their accounts and sessions; a missing user is fine. */
export function deleteUser(deps: Deps) {
  const { adapterStore } = deps;
  return async (req: DeleteUserRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof DeleteUserResponseSchema>> => {
    const deleted = await adapterStore.deleteUser(userId(req.id, "id"), clientInfo(ctx));
    // The uploaded avatar is the user's data too.
    if (deleted) await removeOrphanedAvatar(deps, deleted.image);
    return {};
  };
}
