import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetSessionAndUserRequest, GetSessionAndUserResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../../server/deps.js";
import { adapterSessionToPb, adapterUserToPb } from "../adapter-pb.js";
import { hashSecret } from "../adapter-store.js";
import { SECRET_MAX, text } from "../fields.js";

/** AdapterService.GetSessionAndUser: a live (unexpired, unrevoked) session and its user; both unset otherwise. */
export function getSessionAndUser({ adapterStore }: Deps) {
  return async (req: GetSessionAndUserRequest): Promise<MessageInitShape<typeof GetSessionAndUserResponseSchema>> => {
    const sessionToken = text(req.sessionToken, "session_token", SECRET_MAX);
    const found = await adapterStore.findLiveSession(hashSecret(sessionToken));
    if (!found) return {};
    return { session: adapterSessionToPb(sessionToken, found.session), user: adapterUserToPb(found.user) };
  };
}
