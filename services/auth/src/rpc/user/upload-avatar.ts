import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UploadAvatarRequest, UploadAvatarResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { AVATAR_MAX_BYTES, detectAvatarType } from "../../avatar/avatar-image.js";
import { replaceAvatar } from "../../avatar/avatar-uploads.js";
import { userToPb } from "../pb/user-pb.js";
import { DomainError, invalidArgument } from "../../kernel/errors.js";
import type { Deps } from "../deps.js";
import { callerOf } from "../context.js";

/**
 * UserService.UploadAvatar: store a PNG, JPEG or WebP image of at most 2 MiB, its type read
 * from the bytes, and set the caller's image to its URL on this service (GET /avatars/<key>).
 * The transport lets requests up to UPLOAD_AVATAR_READ_MAX_BYTES through for this RPC only
 * (see routes.ts), so slightly oversized images are refused here, naming the field.
 */
export function uploadAvatar(deps: Deps) {
  return async (req: UploadAvatarRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof UploadAvatarResponseSchema>> => {
    const caller = callerOf(ctx);
    const bytes = req.image;
    if (bytes.length === 0) throw invalidArgument("image", "is required: send the image file's bytes");
    if (bytes.length > AVATAR_MAX_BYTES) throw invalidArgument("image", `must be at most 2 MiB (${AVATAR_MAX_BYTES} bytes); got ${bytes.length} bytes`);
    const contentType = await detectAvatarType(bytes);
    if (!contentType) throw invalidArgument("image", "must be a PNG, JPEG or WebP image (the type is read from the file's content)");
    const user = await replaceAvatar(deps, caller.userId, { bytes, contentType });
    if (!user) throw new DomainError("session.revoked");
    return { user: userToPb(user) };
  };
}
