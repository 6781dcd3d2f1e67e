import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DeleteSessionRequest, DeleteSessionResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../deps.js";
import { hashSecret } from "../../adapter/adapter-store.js";
import { SECRET_MAX, text } from "./fields.js";

/** AdapterService.DeleteSession: removes a NextAuth session; a missing one is fine. */
export function deleteSession({ adapterStore }: Deps) {
  return async (req: DeleteSessionRequest): Promise<MessageInitShape<typeof DeleteSessionResponseSchema>> => {
    await adapterStore.deleteSession(hashSecret(text(req.sessionToken, "session_token", SECRET_MAX)));
    return {};
  };
}
