import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { RegisterRequest, RegisterResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { userToPb } from "../pb/user-pb.js";
import { EMAIL_MAX_LENGTH } from "../../identity/email.js";
import { PASSWORD_MAX_LENGTH } from "../../password/policy.js";
import { invalidArgument } from "../../kernel/errors.js";
import { requireString } from "../../kernel/text.js";
import { clientInfo } from "../context.js";
import { tokensToPb } from "../pb/tokens-pb.js";
import type { Deps } from "../deps.js";

/** AuthService.Register: create an account and sign it in. */
export function register({ passwordAuth }: Deps) {
  return async (req: RegisterRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof RegisterResponseSchema>> => {
    requireString(req.email.trim(), "email", EMAIL_MAX_LENGTH);
    requireString(req.password, "password", PASSWORD_MAX_LENGTH);
    requireString(req.name, "name", 100, { optional: true });
    // The name is stored as PostgreSQL text, which cannot hold NUL: refuse it here, not as INTERNAL.
    if (req.name.includes("\0")) throw invalidArgument("name", "must not contain NUL characters");
    const { user, tokens } = await passwordAuth.register(req, clientInfo(ctx));
    return { user: userToPb(user), tokens: tokensToPb(tokens) };
  };
}
