/**
 * Routes of passkeys: adding one (options, then the browser's answer), listing, renaming and
 * deleting them, proving one for a sensitive change (step-up), and signing in with one alone.
 * WebAuthn JSON travels as objects here and as strings in the contract (webauthn-json.ts).
 * Part of the route table (routes.ts).
 */
import type { z } from "zod";
import { FinishPasskeySignInResponseSchema } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import {
  FinishPasskeyRegistrationResponseSchema,
  FinishPasskeyStepUpResponseSchema,
  ListPasskeysResponseSchema,
  RenamePasskeyResponseSchema,
} from "../../../gen/tessera/user/v1/user_service_pb.js";
import { json, noContent, ok, route } from "./route-kit.js";
import type { Route } from "./routes.js";
import * as s from "./schemas.js";
import { namingFields, optionsObject, responseJson } from "./webauthn-json.js";

const STEP_UP =
  "Needs the current password (or, for accounts without one, a sign-in less than 5 minutes old) and secondFactorCode: a code from the authenticator app, a recovery code, or a step-up token from POST /users/me/passkeys/step-up (one proven with this very passkey counts).";

/** The contract's field of the browser's answer, named as this API's body names it. */
const RESPONSE = { response_json: "response" };

export const PASSKEY_ROUTES: Route[] = [
  route<z.infer<typeof s.PasswordBody>>({
    method: "POST",
    path: "/users/me/passkeys/registration-options",
    operationId: "beginPasskeyRegistration",
    summary: "Start adding a passkey: the WebAuthn creation options for the browser",
    description:
      "Needs the current password, or for accounts without one a sign-in less than 5 minutes old. The options ask for a discoverable credential and exclude the account's passkeys; their challenge works once, for 5 minutes, for this session, and a newer call replaces it. 409 (passkey.limit_reached) at 20 passkeys.",
    tag: "users",
    auth: "bearer",
    body: s.PasswordBody,
    response: { status: 200, schema: s.PasskeyCreationOptions, description: "the options for navigator.credentials.create" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const res = await clients.users.beginPasskeyRegistration({ password: body.password ?? "" }, { headers: rpcHeaders });
      return ok({ options: optionsObject(res.optionsJson) });
    },
  }),
  route<z.infer<typeof s.FinishPasskeyRegistrationBody>>({
    method: "POST",
    path: "/users/me/passkeys",
    operationId: "finishPasskeyRegistration",
    summary: "Add the passkey the browser made from the latest registration options of this session",
    description:
      "From then on it is a second factor: password sign-ins take two steps. When it is the account's first second factor, 10 recovery codes come with it, shown this once. 409 passkey.registration_failed when nothing is pending or the answer does not verify (begin again), passkey.already_registered for a credential already added, passkey.limit_reached at 20. Mailed to the account.",
    tag: "users",
    auth: "bearer",
    body: s.FinishPasskeyRegistrationBody,
    response: { status: 201, schema: s.PasskeyRegistration, description: "the new passkey, and the recovery codes when it is the first second factor" },
    errors: [400, 401, 409, 413],
    async handle({ body, clients, rpcHeaders }) {
      const rpc = clients.users.finishPasskeyRegistration({ responseJson: responseJson(body.response), name: body.name ?? "" }, { headers: rpcHeaders });
      return ok(json(FinishPasskeyRegistrationResponseSchema, await namingFields(rpc, RESPONSE)), 201);
    },
  }),
  route({
    method: "GET",
    path: "/users/me/passkeys",
    operationId: "listPasskeys",
    summary: "The caller's passkeys, oldest first, with their last use",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.PasskeyList, description: "the passkeys" },
    errors: [401],
    async handle({ clients, rpcHeaders }) {
      return ok(json(ListPasskeysResponseSchema, await clients.users.listPasskeys({}, { headers: rpcHeaders })));
    },
  }),
  route<z.infer<typeof s.RenamePasskeyBody>>({
    method: "PATCH",
    path: "/users/me/passkeys/{id}",
    operationId: "renamePasskey",
    summary: "Rename one of the caller's passkeys",
    tag: "users",
    auth: "bearer",
    body: s.RenamePasskeyBody,
    response: { status: 200, schema: s.PasskeyOnly, description: "the passkey as stored now" },
    errors: [400, 401, 404, 413],
    async handle({ params, body, clients, rpcHeaders }) {
      return ok(json(RenamePasskeyResponseSchema, await clients.users.renamePasskey({ passkeyId: params.id!, name: body.name }, { headers: rpcHeaders })));
    },
  }),
  route<z.infer<typeof s.StepUpBody>>({
    method: "DELETE",
    path: "/users/me/passkeys/{id}",
    operationId: "deletePasskey",
    summary: "Delete one of the caller's passkeys",
    description: `${STEP_UP} Deleting the last second factor also deletes the recovery codes. Mailed to the account.`,
    tag: "users",
    auth: "bearer",
    body: s.StepUpBody,
    response: { status: 204, schema: null, description: "the passkey no longer signs in" },
    errors: [400, 401, 404, 409, 413, 429],
    async handle({ params, body, clients, rpcHeaders }) {
      await clients.users.deletePasskey(
        { passkeyId: params.id!, password: body.password ?? "", secondFactorCode: body.secondFactorCode ?? "" },
        { headers: rpcHeaders },
      );
      return noContent;
    },
  }),
  route({
    method: "POST",
    path: "/users/me/passkeys/step-up-options",
    operationId: "beginPasskeyStepUp",
    summary: "Start proving a passkey for a sensitive change: WebAuthn request options listing the caller's passkeys",
    description: "Their challenge works once, for 5 minutes, for this session. 404 (passkey.not_found) when the caller has no passkey.",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.PasskeyRequestOptions, description: "the options for navigator.credentials.get" },
    errors: [401, 404],
    async handle({ clients, rpcHeaders }) {
      const res = await clients.users.beginPasskeyStepUp({}, { headers: rpcHeaders });
      return ok({ options: optionsObject(res.optionsJson) });
    },
  }),
  route<z.infer<typeof s.PasskeyResponseBody>>({
    method: "POST",
    path: "/users/me/passkeys/step-up",
    operationId: "finishPasskeyStepUp",
    summary: "Prove a passkey: a step-up token for one sensitive change",
    description:
      "Send the token as secondFactorCode of one change by this session within 5 minutes: password, email change, account deletion, turning the authenticator app off, new recovery codes, deleting a passkey. 401 auth.invalid_passkey when the assertion does not verify.",
    tag: "users",
    auth: "bearer",
    body: s.PasskeyResponseBody,
    response: { status: 200, schema: s.StepUpToken, description: "the single-use step-up token" },
    errors: [400, 401, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const rpc = clients.users.finishPasskeyStepUp({ responseJson: responseJson(body.response) }, { headers: rpcHeaders });
      return ok(json(FinishPasskeyStepUpResponseSchema, await namingFields(rpc, RESPONSE)));
    },
  }),
  route({
    method: "POST",
    path: "/auth/passkey-sign-in/options",
    operationId: "beginPasskeySignIn",
    summary: "Start a passwordless sign-in: WebAuthn request options for any discoverable passkey",
    description:
      'No allowCredentials: the browser offers the user\'s passkeys for this site (also as conditional UI, mediation "conditional"). User verification is required. The challenge works once, for 5 minutes. Counts against a per-IP limit of its own on passkey sign-in starts (TESSERA_LIMIT_PASSKEY_OPTIONS_IP, 429), not the sign-in limit; finishing one counts as a sign-in attempt.',
    tag: "auth",
    auth: "none",
    response: { status: 200, schema: s.PasskeyRequestOptions, description: "the options for navigator.credentials.get" },
    errors: [429],
    async handle({ clients, rpcHeaders }) {
      const res = await clients.auth.beginPasskeySignIn({}, { headers: rpcHeaders });
      return ok({ options: optionsObject(res.optionsJson) });
    },
  }),
  route<z.infer<typeof s.PasskeyResponseBody>>({
    method: "POST",
    path: "/auth/passkey-sign-in",
    operationId: "finishPasskeySignIn",
    summary: "Sign in with a passkey alone (a new session)",
    description:
      "A passkey with user verification is both factors: no second step follows. 401 auth.invalid_passkey when the assertion does not verify (unknown credential, challenge used or expired, user not verified, …).",
    tag: "auth",
    auth: "none",
    body: s.PasskeyResponseBody,
    response: { status: 200, schema: s.UserAndTokens, description: "the account and the new session's tokens" },
    errors: [400, 401, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const rpc = clients.auth.finishPasskeySignIn({ responseJson: responseJson(body.response) }, { headers: rpcHeaders });
      return ok(json(FinishPasskeySignInResponseSchema, await namingFields(rpc, RESPONSE)));
    },
  }),
];
