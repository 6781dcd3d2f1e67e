import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RefreshRequest, RefreshResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { invalidArgument } from "../../kernel/errors.js";
import { clientInfo } from "../context.js";
import { isOpaqueTokenShape } from "../../session/refresh-token.js";
import { tokensToPb } from "../pb/tokens-pb.js";
import type { Deps } from "../deps.js";

/** AuthService.Refresh: spend a refresh token for rotated tokens. */
export function refresh({ sessions }: Deps) {
  return async (req: RefreshRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RefreshResponseSchema>> => {
    if (!isOpaqueTokenShape(req.refreshToken)) throw invalidArgument("refresh_token", "must be the 43-character token from a sign-in or refresh");
    return { tokens: tokensToPb(await sessions.refresh(req.refreshToken, clientInfo(ctx))) };
  };
}
