import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetSessionAndUserRequest, GetSessionAndUserResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../deps.js";
import { adapterSessionToPb, adapterUserToPb } from "./adapter-pb.js";
import { hashSecret } from "../../adapter/adapter-store.js";
import { SECRET_MAX } from "./fields.js";
import { lookupKey } from "./null-on-miss.js";

/**
 * AdapterService.GetSessionAndUser: a live (unexpired, unrevoked) session and its user; both
 * unset otherwise, also for a token no session can have. An expired session is deleted.
 */
export function getSessionAndUser({ adapterStore }: Deps) {
  return async (req: GetSessionAndUserRequest): Promise<MessageInitShape<typeof GetSessionAndUserResponseSchema>> => {
    const sessionToken = lookupKey(req.sessionToken, SECRET_MAX);
    if (sessionToken === null) return {};
    const found = await adapterStore.findLiveSession(hashSecret(sessionToken));
    if (!found) return {};
    return { session: adapterSessionToPb(sessionToken, found.session), user: adapterUserToPb(found.user) };
  };
}
