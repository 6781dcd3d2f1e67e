import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CreateSessionRequest, CreateSessionResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { invalidArgument } from "../../kernel/errors.js";
import type { Deps } from "../deps.js";
import { adapterSessionToPb } from "./adapter-pb.js";
import { hashSecret } from "../../adapter/adapter-store.js";
import { SECRET_MAX, requiredTime, text, userId } from "./fields.js";

/** AdapterService.CreateSession: stores a NextAuth database session; only the token's hash is kept. */
export function createSession({ adapterStore }: Deps) {
  return async (req: CreateSessionRequest): Promise<MessageInitShape<typeof CreateSessionResponseSchema>> => {
    const s = req.session;
    if (!s) throw invalidArgument("session", "is required");
    const sessionToken = text(s.sessionToken, "session.session_token", SECRET_MAX);
    const session = await adapterStore.createSession({
      tokenHash: hashSecret(sessionToken),
      userId: userId(s.userId, "session.user_id"),
      expires: requiredTime(s.expires, "session.expires"),
    });
    return { session: adapterSessionToPb(sessionToken, session) };
  };
}
