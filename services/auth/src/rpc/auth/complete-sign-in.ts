import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CompleteSignInRequest, CompleteSignInResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { invalidArgument } from "../../kernel/errors.js";
import { requireString } from "../../kernel/text.js";
import { requireResponseJson } from "../../passkey/webauthn-response.js";
import { SECOND_FACTOR_CODE_MAX_LENGTH } from "../../second-factor/recovery-codes.js";
import type { SecondFactorProof } from "../../second-factor/sign-in-challenges.js";
import { clientInfo } from "../context.js";
import { tokensToPb } from "../pb/tokens-pb.js";
import { userToPb } from "../pb/user-pb.js";
import type { Deps } from "../deps.js";

/** AuthService.CompleteSignIn: proves the second factor of a challenge from Login and opens the session. */
export function completeSignIn({ passwordAuth }: Deps) {
  return async (req: CompleteSignInRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof CompleteSignInResponseSchema>> => {
    requireString(req.challengeToken, "challenge_token", 64);
    const { user, tokens } = await passwordAuth.completeSignIn(req.challengeToken, proofOf(req), clientInfo(ctx));
    return { user: userToPb(user), tokens: tokensToPb(tokens) };
  };
}

function proofOf(req: CompleteSignInRequest): SecondFactorProof {
  const { proof } = req;
  if (proof.case === "totpCode" || proof.case === "recoveryCode") {
    const field = proof.case === "totpCode" ? "totp_code" : "recovery_code";
    requireString(proof.value, field, SECOND_FACTOR_CODE_MAX_LENGTH);
    return { kind: proof.case === "totpCode" ? "totp" : "recovery_code", code: proof.value };
  }
  if (proof.case === "passkeyResponseJson") return { kind: "passkey", responseJson: requireResponseJson(proof.value, "passkey_response_json") };
  throw invalidArgument("proof", "give totp_code, recovery_code or passkey_response_json");
}
