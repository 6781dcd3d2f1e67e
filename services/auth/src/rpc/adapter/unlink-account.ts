import type { MessageInitShape } from "@bufbuild/protobuf";
import type { UnlinkAccountRequest, UnlinkAccountResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "../deps.js";
import { PROVIDER_ACCOUNT_ID_MAX, PROVIDER_MAX, text } from "./fields.js";

/** AdapterService.UnlinkAccount: removes a provider account link; a missing link is fine. */
export function unlinkAccount({ adapterStore }: Deps) {
  return async (req: UnlinkAccountRequest): Promise<MessageInitShape<typeof UnlinkAccountResponseSchema>> => {
    await adapterStore.unlinkAccount(
      text(req.provider, "provider", PROVIDER_MAX),
      text(req.providerAccountId, "provider_account_id", PROVIDER_ACCOUNT_ID_MAX),
    );
    return {};
  };
}
