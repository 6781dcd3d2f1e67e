import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UpdateProfileRequest, UpdateProfileResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { userToPb } from "../pb/user-pb.js";
import type { Deps } from "../deps.js";
import { profilePatchFrom } from "../../user/profile-update.js";
import { callerOf } from "../context.js";

/** UserService.UpdateProfile: changes the caller's fields named in update_mask, all or none. */
export function updateProfile({ accounts }: Deps) {
  return async (req: UpdateProfileRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof UpdateProfileResponseSchema>> => {
    const caller = callerOf(ctx);
    const patch = profilePatchFrom(req);
    return { user: userToPb(await accounts.updateProfile(caller, patch)) };
  };
}
