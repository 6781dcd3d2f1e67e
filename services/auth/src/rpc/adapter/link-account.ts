import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LinkAccountRequest, LinkAccountResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { invalidArgument } from "../../kernel/errors.js";
import type { Deps } from "../deps.js";
import { adapterAccountToPb } from "./adapter-pb.js";
import { ACCOUNT_TYPES, PROVIDER_ACCOUNT_ID_MAX, PROVIDER_FIELD_MAX, PROVIDER_MAX, optionalText, text, userId } from "./fields.js";

const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * AdapterService.LinkAccount: links a provider account to a user. The provider tokens are
 * stored sealed and answered back as given.
 */
export function linkAccount({ adapterStore }: Deps) {
  return async (req: LinkAccountRequest): Promise<MessageInitShape<typeof LinkAccountResponseSchema>> => {
    const a = req.account;
    if (!a) throw invalidArgument("account", "is required");
    if (!(ACCOUNT_TYPES as readonly string[]).includes(a.type)) throw invalidArgument("account.type", `must be one of ${ACCOUNT_TYPES.join(", ")}`);
    // Stored as a 64-bit integer; next-auth hands over a JavaScript number, so any safe
    // integer is accepted (tokens that expire after 2038, next-auth's own test fixtures).
    if (a.expiresAt !== undefined && (a.expiresAt < -SAFE_MAX || a.expiresAt > SAFE_MAX)) {
      throw invalidArgument("account.expires_at", `must be a safe integer (at most ${SAFE_MAX} in magnitude)`);
    }
    const opt = (value: string | undefined, field: string) => optionalText(value, `account.${field}`, PROVIDER_FIELD_MAX) ?? null;
    const account = await adapterStore.linkAccount({
      userId: userId(a.userId, "account.user_id"),
      type: a.type,
      provider: text(a.provider, "account.provider", PROVIDER_MAX),
      providerAccountId: text(a.providerAccountId, "account.provider_account_id", PROVIDER_ACCOUNT_ID_MAX),
      refresh_token: opt(a.refreshToken, "refresh_token"),
      access_token: opt(a.accessToken, "access_token"),
      expires_at: a.expiresAt ?? null,
      token_type: opt(a.tokenType, "token_type"),
      scope: opt(a.scope, "scope"),
      id_token: opt(a.idToken, "id_token"),
      session_state: opt(a.sessionState, "session_state"),
    });
    return { account: adapterAccountToPb(account) };
  };
}
