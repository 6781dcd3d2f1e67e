import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { LoginRequest, LoginResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { EMAIL_MAX_LENGTH } from "../../identity/email.js";
import { userToPb } from "../pb/user-pb.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { requireString } from "../../kernel/text.js";
import { clientInfo } from "../context.js";
import { tokensToPb } from "../pb/tokens-pb.js";
import type { Deps } from "../deps.js";

/**
 * AuthService.Login: exchange email and password for a new session's tokens, or, for an
 * account with a second factor, for a challenge that CompleteSignIn finishes.
 */
export function login({ passwordAuth }: Deps) {
  return async (req: LoginRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof LoginResponseSchema>> => {
    requireString(req.email.trim(), "email", EMAIL_MAX_LENGTH);
    requireString(req.password, "password", PASSWORD_MAX_LENGTH);
    const outcome = await passwordAuth.login(req, clientInfo(ctx));
    if ("challenge" in outcome) {
      const { token, expiresAt, methods, passkeyOptionsJson } = outcome.challenge;
      return { secondFactorChallenge: { token, expireTime: timestampFromDate(expiresAt), methods, passkeyOptionsJson } };
    }
    return { user: userToPb(outcome.user), tokens: tokensToPb(outcome.tokens) };
  };
}
