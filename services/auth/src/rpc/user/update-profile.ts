import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UpdateProfileRequest, UpdateProfileResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { userToPb } from "../pb/user-pb.js";
import type { Deps } from "../../server/deps.js";
import { profilePatchFrom } from "../../user/profile-update.js";

/** UserService.UpdateProfile: changes the caller's fields named in update_mask, all or none. */
export function updateProfile({ authn, accounts }: Deps) {
  return async (req: UpdateProfileRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof UpdateProfileResponseSchema>> => {
    const caller = await authn.caller(ctx);
    const patch = profilePatchFrom(req);
    return { user: userToPb(await accounts.updateProfile(caller, patch)) };
  };
}
