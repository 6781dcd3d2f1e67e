import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UpdateUserRequest, UpdateUserResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { DomainError } from "../../kernel/errors.js";
import type { Deps } from "../deps.js";
import { adapterUserToPb } from "./adapter-pb.js";
import { NAME_MAX, emailToStore, imageUrl, optionalText, optionalTime, userId } from "./fields.js";

/** AdapterService.UpdateUser: changes the fields that are set; a new email without email_verified is unverified. */
export function updateUser({ adapterStore }: Deps) {
  return async (req: UpdateUserRequest): Promise<MessageInitShape<typeof UpdateUserResponseSchema>> => {
    const id = userId(req.id, "id");
    const patch = {
      email: req.email === undefined ? undefined : emailToStore(req.email, "email"),
      emailVerified: optionalTime(req.emailVerified, "email_verified"),
      name: optionalText(req.name, "name", NAME_MAX),
      image: imageUrl(req.image, "image"),
    };
    const user = await adapterStore.updateUser(id, patch);
    if (!user) throw new DomainError("user.not_found");
    return { user: adapterUserToPb(user) };
  };
}
