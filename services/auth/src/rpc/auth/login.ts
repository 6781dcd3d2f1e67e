import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LoginRequest, LoginResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { EMAIL_MAX_LENGTH } from "../../identity/email.js";
import { userToPb } from "../pb/user-pb.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { requireString } from "../../kernel/text.js";
import { clientInfo } from "../context.js";
import { tokensToPb } from "../pb/tokens-pb.js";
import type { Deps } from "../deps.js";

/** AuthService.Login: exchange email and password for a new session's tokens. */
export function login({ passwordAuth }: Deps) {
  return async (req: LoginRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof LoginResponseSchema>> => {
    requireString(req.email.trim(), "email", EMAIL_MAX_LENGTH);
    requireString(req.password, "password", PASSWORD_MAX_LENGTH);
    const { user, tokens } = await passwordAuth.login(req, clientInfo(ctx));
    return { user: userToPb(user), tokens: tokensToPb(tokens) };
  };
}
