import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetUserByAccountRequest, GetUserByAccountResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../deps.js";
import { adapterUserToPb } from "./adapter-pb.js";
import { PROVIDER_ACCOUNT_ID_MAX, PROVIDER_MAX } from "./fields.js";
import { lookupKey } from "./null-on-miss.js";

/** AdapterService.GetUserByAccount: the user a provider account is linked to; unset when none. */
export function getUserByAccount({ adapterStore }: Deps) {
  return async (req: GetUserByAccountRequest): Promise<MessageInitShape<typeof GetUserByAccountResponseSchema>> => {
    // A key no link can have is a miss, not a bad request (next-auth's contract).
    const provider = lookupKey(req.provider, PROVIDER_MAX);
    const providerAccountId = lookupKey(req.providerAccountId, PROVIDER_ACCOUNT_ID_MAX);
    const user = provider === null || providerAccountId === null ? null : await adapterStore.findUserByAccount(provider, providerAccountId);
    return { user: user ? adapterUserToPb(user) : undefined };
  };
}
