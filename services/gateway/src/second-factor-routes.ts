/**
 * Routes of second factors: the second step of a sign-in, the caller's authenticator app and
 * recovery codes, and an admin's removal of a user's. Part of the route table (routes.ts).
 */
import type { z } from "zod";
import { CompleteSignInResponseSchema } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import {
  BeginTotpEnrollmentResponseSchema,
  ConfirmTotpEnrollmentResponseSchema,
  GetSecondFactorsResponseSchema,
  RegenerateRecoveryCodesResponseSchema,
} from "../../../gen/tessera/user/v1/user_service_pb.js";
import { HttpError } from "./errors.js";
import { json, noContent, ok, route } from "./route-kit.js";
import type { Route } from "./routes.js";
import * as s from "./schemas.js";
import { namingFields, responseJson } from "./webauthn-json.js";

const STEP_UP =
  "Needs the current password (or, for accounts without one, a sign-in less than 5 minutes old) and secondFactorCode: a code from the authenticator app, a recovery code, or a step-up token from POST /users/me/passkeys/step-up.";

/** CompleteSignIn's oneof proof from the body's optional fields: exactly one of them. */
function proofOf(body: z.infer<typeof s.CompleteSignInBody>) {
  const given = [body.totpCode, body.recoveryCode, body.passkeyResponse].filter((p) => p !== undefined).length;
  if (given !== 1) throw new HttpError(400, "invalid_argument", "request.invalid_argument", "give exactly one of totpCode, recoveryCode and passkeyResponse", "proof");
  if (body.totpCode !== undefined) return { case: "totpCode" as const, value: body.totpCode };
  if (body.recoveryCode !== undefined) return { case: "recoveryCode" as const, value: body.recoveryCode };
  return { case: "passkeyResponseJson" as const, value: responseJson(body.passkeyResponse!) };
}

export const SECOND_FACTOR_ROUTES: Route[] = [
  route<z.infer<typeof s.CompleteSignInBody>>({
    method: "POST",
    path: "/auth/complete-sign-in",
    operationId: "completeSignIn",
    summary: "Finish a sign-in that answered with secondFactorChallenge (a new session)",
    description:
      "Give exactly one proof: totpCode, recoveryCode, or passkeyResponse (the assertion answering the challenge's passkeyOptions). A challenge works once, for 5 minutes; 5 wrong proofs spend it (401 auth.invalid_challenge, sign in again). A wrong proof is 401 auth.invalid_second_factor. A code is accepted once; a recovery code is used up, recorded and mailed to the account.",
    tag: "auth",
    auth: "none",
    body: s.CompleteSignInBody,
    response: { status: 200, schema: s.UserAndTokens, description: "the account and the new session's tokens" },
    errors: [400, 401, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const rpc = clients.auth.completeSignIn({ challengeToken: body.challengeToken, proof: proofOf(body) }, { headers: rpcHeaders });
      const res = await namingFields(rpc, { passkey_response_json: "passkeyResponse" });
      return ok(json(CompleteSignInResponseSchema, res));
    },
  }),
  route({
    method: "GET",
    path: "/users/me/second-factors",
    operationId: "getSecondFactors",
    summary: "Whether the caller's authenticator app is on, how many passkeys they have, and how many recovery codes are left",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.SecondFactorStatus, description: "the caller's second factors" },
    errors: [401],
    async handle({ clients, rpcHeaders }) {
      return ok(json(GetSecondFactorsResponseSchema, await clients.users.getSecondFactors({}, { headers: rpcHeaders })));
    },
  }),
  route<z.infer<typeof s.PasswordBody>>({
    method: "POST",
    path: "/users/me/second-factors/totp",
    operationId: "beginTotpEnrollment",
    summary: "Start setting up an authenticator app: a new secret, pending until confirmed",
    description:
      "Needs the current password, or for accounts without one a sign-in less than 5 minutes old. Replaces a pending secret; 409 (second_factor.already_enabled) when one is active.",
    tag: "users",
    auth: "bearer",
    body: s.PasswordBody,
    response: { status: 200, schema: s.TotpEnrollment, description: "the secret and its otpauth URI" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      return ok(json(BeginTotpEnrollmentResponseSchema, await clients.users.beginTotpEnrollment({ password: body.password ?? "" }, { headers: rpcHeaders })));
    },
  }),
  route<z.infer<typeof s.CodeBody>>({
    method: "POST",
    path: "/users/me/second-factors/totp/confirm",
    operationId: "confirmTotpEnrollment",
    summary: "Turn the pending authenticator app on with a code it shows; returns the recovery codes",
    description: "From then on signing in takes two steps. The recovery codes are shown this once.",
    tag: "users",
    auth: "bearer",
    body: s.CodeBody,
    response: { status: 200, schema: s.RecoveryCodes, description: "10 recovery codes" },
    errors: [400, 401, 409, 413],
    async handle({ body, clients, rpcHeaders }) {
      return ok(json(ConfirmTotpEnrollmentResponseSchema, await clients.users.confirmTotpEnrollment({ code: body.code }, { headers: rpcHeaders })));
    },
  }),
  route<z.infer<typeof s.StepUpBody>>({
    method: "DELETE",
    path: "/users/me/second-factors/totp",
    operationId: "disableTotp",
    summary: "Turn the authenticator app off (and delete the recovery codes when no passkey is left)",
    description: STEP_UP,
    tag: "users",
    auth: "bearer",
    body: s.StepUpBody,
    response: { status: 204, schema: null, description: "signing in takes one step again" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      await clients.users.disableTotp({ password: body.password ?? "", secondFactorCode: body.secondFactorCode ?? "" }, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route<z.infer<typeof s.StepUpBody>>({
    method: "POST",
    path: "/users/me/second-factors/recovery-codes",
    operationId: "regenerateRecoveryCodes",
    summary: "Replace the recovery codes; the old ones stop working",
    description: STEP_UP,
    tag: "users",
    auth: "bearer",
    body: s.StepUpBody,
    response: { status: 200, schema: s.RecoveryCodes, description: "10 new recovery codes" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const res = await clients.users.regenerateRecoveryCodes({ password: body.password ?? "", secondFactorCode: body.secondFactorCode ?? "" }, { headers: rpcHeaders });
      return ok(json(RegenerateRecoveryCodesResponseSchema, res));
    },
  }),
  route({
    method: "DELETE",
    path: "/users/{id}/second-factors",
    operationId: "removeSecondFactors",
    summary: "Remove a user's authenticator app, passkeys and recovery codes (admins only)",
    description: "For account recovery. Recorded with the admin as actor and mailed to the user.",
    tag: "users",
    auth: "bearer",
    response: { status: 204, schema: null, description: "the user signs in with the first factor alone" },
    errors: [400, 401, 403, 404],
    async handle({ params, clients, rpcHeaders }) {
      await clients.users.removeSecondFactors({ userId: params.id! }, { headers: rpcHeaders });
      return noContent;
    },
  }),
];
