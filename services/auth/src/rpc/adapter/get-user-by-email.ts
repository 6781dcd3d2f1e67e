import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetUserByEmailRequest, GetUserByEmailResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { EMAIL_MAX_LENGTH, normalizeEmail } from "../../identity/email.js";
import type { Deps } from "../deps.js";
import { adapterUserToPb } from "./adapter-pb.js";
import { lookupKey } from "./null-on-miss.js";

/** AdapterService.GetUserByEmail: a user by normalised email; unset when none. */
export function getUserByEmail({ adapterStore }: Deps) {
  return async (req: GetUserByEmailRequest): Promise<MessageInitShape<typeof GetUserByEmailResponseSchema>> => {
    // An address that cannot be stored belongs to nobody: an empty answer, like any other miss.
    const raw = lookupKey(req.email.trim(), EMAIL_MAX_LENGTH);
    const email = raw === null ? null : normalizeEmail(raw);
    const user = email ? await adapterStore.findUserByEmail(email) : null;
    return { user: user ? adapterUserToPb(user) : undefined };
  };
}
