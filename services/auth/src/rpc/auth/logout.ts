import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LogoutRequest, LogoutResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { invalidArgument } from "../../kernel/errors.js";
import { clientInfo } from "../context.js";
import { isOpaqueTokenShape } from "../../session/refresh-token.js";
import type { Deps } from "../deps.js";

/** AuthService.Logout: end the session of a refresh token (idempotent). */
export function logout({ sessions }: Deps) {
  return async (req: LogoutRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof LogoutResponseSchema>> => {
    if (!isOpaqueTokenShape(req.refreshToken)) throw invalidArgument("refresh_token", "must be the 43-character refresh token");
    await sessions.logout(req.refreshToken, clientInfo(ctx));
    return {};
  };
}
