import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UseVerificationTokenRequest, UseVerificationTokenResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../deps.js";
import { verificationTokenToPb } from "./adapter-pb.js";
import { hashSecret } from "../../adapter/adapter-store.js";
import { IDENTIFIER_MAX, SECRET_MAX } from "./fields.js";
import { lookupKey } from "./null-on-miss.js";

/**
 * AdapterService.UseVerificationToken: consumes the token matching identifier and token, once.
 * An expired match is consumed and returned as well; next-auth refuses it by its expires.
 */
export function useVerificationToken({ adapterStore }: Deps) {
  return async (req: UseVerificationTokenRequest): Promise<MessageInitShape<typeof UseVerificationTokenResponseSchema>> => {
    // A key no stored token can have is a miss (null), not a bad request.
    const identifier = lookupKey(req.identifier, IDENTIFIER_MAX);
    const token = lookupKey(req.token, SECRET_MAX);
    if (identifier === null || token === null) return {};
    const used = await adapterStore.useVerificationToken(identifier, hashSecret(token));
    return { verificationToken: used ? verificationTokenToPb(token, used) : undefined };
  };
}
