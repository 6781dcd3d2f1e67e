import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CreateVerificationTokenRequest, CreateVerificationTokenResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { invalidArgument } from "../../kernel/errors.js";
import type { Deps } from "../deps.js";
import { verificationTokenToPb } from "./adapter-pb.js";
import { hashSecret } from "../../adapter/adapter-store.js";
import { IDENTIFIER_MAX, SECRET_MAX, requiredTime, text } from "./fields.js";

/** AdapterService.CreateVerificationToken: stores an email sign-in token's hash; answers with the plain token. */
export function createVerificationToken({ adapterStore }: Deps) {
  return async (req: CreateVerificationTokenRequest): Promise<MessageInitShape<typeof CreateVerificationTokenResponseSchema>> => {
    const v = req.verificationToken;
    if (!v) throw invalidArgument("verification_token", "is required");
    const identifier = text(v.identifier, "verification_token.identifier", IDENTIFIER_MAX);
    const token = text(v.token, "verification_token.token", SECRET_MAX);
    const expires = requiredTime(v.expires, "verification_token.expires");
    await adapterStore.createVerificationToken({ identifier, tokenHash: hashSecret(token), expires });
    return { verificationToken: verificationTokenToPb(token, { identifier, expires }) };
  };
}
