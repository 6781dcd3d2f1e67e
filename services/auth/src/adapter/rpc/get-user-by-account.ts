import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetUserByAccountRequest, GetUserByAccountResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../../server/deps.js";
import { adapterUserToPb } from "../adapter-pb.js";
import { PROVIDER_ACCOUNT_ID_MAX, PROVIDER_MAX, text } from "../fields.js";

/** AdapterService.GetUserByAccount: the user a provider account is linked to; unset when none. */
export function getUserByAccount({ adapterStore }: Deps) {
  return async (req: GetUserByAccountRequest): Promise<MessageInitShape<typeof GetUserByAccountResponseSchema>> => {
    const provider = text(req.provider, "provider", PROVIDER_MAX);
    const providerAccountId = text(req.providerAccountId, "provider_account_id", PROVIDER_ACCOUNT_ID_MAX);
    const user = await adapterStore.findUserByAccount(provider, providerAccountId);
    return { user: user ? adapterUserToPb(user) : undefined };
  };
}
