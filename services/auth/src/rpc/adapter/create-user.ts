import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CreateUserRequest, CreateUserResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { HandlerContext } from "@connectrpc/connect";
import { clientInfo } from "../context.js";
import type { Deps } from "../deps.js";
import { adapterUserToPb } from "./adapter-pb.js";
import { NAME_MAX, emailToStore, imageUrl, optionalText, optionalTime } from "./fields.js";

/** AdapterService.CreateUser: a user without a password; verified only if the provider said so. */
export function createUser({ adapterStore }: Deps) {
  return async (req: CreateUserRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof CreateUserResponseSchema>> => {
    const data = {
      email: emailToStore(req.email, "email"),
      // Never defaulted to "verified": an address is verified only when the provider says so; unset stays unverified.
      emailVerified: optionalTime(req.emailVerified, "email_verified") ?? null,
      name: optionalText(req.name, "name", NAME_MAX) ?? null,
      image: imageUrl(req.image, "image") ?? null,
    };
    return { user: adapterUserToPb(await adapterStore.createUser(data, clientInfo(ctx))) };
  };
}
