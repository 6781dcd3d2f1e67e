import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetUserRequest, GetUserResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../../server/deps.js";
import { adapterUserToPb } from "../adapter-pb.js";
import { userId } from "../fields.js";

/** AdapterService.GetUser: a user by id; unset when none. */
export function getUser({ adapterStore }: Deps) {
  return async (req: GetUserRequest): Promise<MessageInitShape<typeof GetUserResponseSchema>> => {
    const user = await adapterStore.findUser(userId(req.id, "id"));
    return { user: user ? adapterUserToPb(user) : undefined };
  };
}
