import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetUserRequest, GetUserResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../deps.js";
import { adapterUserToPb } from "./adapter-pb.js";
import { ID_MAX } from "./fields.js";
import { lookupKey } from "./null-on-miss.js";

/** AdapterService.GetUser: a user by id; unset when none (also for an id no user can have). */
export function getUser({ adapterStore }: Deps) {
  return async (req: GetUserRequest): Promise<MessageInitShape<typeof GetUserResponseSchema>> => {
    const id = lookupKey(req.id, ID_MAX);
    const user = id === null ? null : await adapterStore.findUser(id);
    return { user: user ? adapterUserToPb(user) : undefined };
  };
}
