import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetUserByEmailRequest, GetUserByEmailResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { EMAIL_MAX_LENGTH, normalizeEmail } from "../../identity/email.js";
import type { Deps } from "../../server/deps.js";
import { adapterUserToPb } from "../adapter-pb.js";
import { text } from "../fields.js";

/** AdapterService.GetUserByEmail: a user by normalised email; unset when none. */
export function getUserByEmail({ adapterStore }: Deps) {
  return async (req: GetUserByEmailRequest): Promise<MessageInitShape<typeof GetUserByEmailResponseSchema>> => {
    text(req.email.trim(), "email", EMAIL_MAX_LENGTH);
    // An address that cannot be stored belongs to nobody: an empty answer, like any other miss.
    const email = normalizeEmail(req.email);
    const user = email ? await adapterStore.findUserByEmail(email) : null;
    return { user: user ? adapterUserToPb(user) : undefined };
  };
}
