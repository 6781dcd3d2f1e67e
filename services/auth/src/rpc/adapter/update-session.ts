import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UpdateSessionRequest, UpdateSessionResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../deps.js";
import { adapterSessionToPb } from "./adapter-pb.js";
import { hashSecret } from "../../adapter/adapter-store.js";
import { SECRET_MAX, optionalTime, text } from "./fields.js";

/** AdapterService.UpdateSession: moves a live session's expiry; session unset when there is none. */
export function updateSession({ adapterStore }: Deps) {
  return async (req: UpdateSessionRequest): Promise<MessageInitShape<typeof UpdateSessionResponseSchema>> => {
    const sessionToken = text(req.sessionToken, "session_token", SECRET_MAX);
    const session = await adapterStore.updateSession(hashSecret(sessionToken), optionalTime(req.expires, "expires"));
    return { session: session ? adapterSessionToPb(sessionToken, session) : undefined };
  };
}
