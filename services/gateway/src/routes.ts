/**
 * The route table: each route's method, path, summary, auth, schemas and handler. The router
 * (server.ts) and the OpenAPI document (openapi.ts) both read this table, so they cannot drift.
 */
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import type { z } from "zod";
import {
  AuthService,
  ConfirmEmailChangeResponseSchema,
  LoginResponseSchema,
  RefreshResponseSchema,
  RegisterResponseSchema,
  VerifyEmailResponseSchema,
} from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { AuditEventTypeSchema } from "../../../gen/tessera/user/v1/audit_event_pb.js";
import { ProfileSchema, Role, type Profile } from "../../../gen/tessera/user/v1/user_pb.js";
import type { ProfileKey } from "../../shared/contract-limits.js";
import {
  GetMeResponseSchema,
  GetUserResponseSchema,
  ListAuditEventsResponseSchema,
  ListSessionsResponseSchema,
  ListSignInMethodsResponseSchema,
  ListUsersResponseSchema,
  RevokeAllSessionsResponseSchema,
  SetUserRoleResponseSchema,
  UpdateProfileResponseSchema,
  UploadAvatarResponseSchema,
  UserService,
} from "../../../gen/tessera/user/v1/user_service_pb.js";
import { z as zod } from "zod";
import { json, noContent, ok, route } from "./route-kit.js";
import { PASSKEY_ROUTES } from "./passkey-routes.js";
import { SECOND_FACTOR_ROUTES } from "./second-factor-routes.js";
import { withPasskeyOptions } from "./webauthn-json.js";
import { HttpError } from "./errors.js";
import * as s from "./schemas.js";

/** What a route that changes something sensitive adds for accounts with a second factor (UserService step-up). */
const SECOND_FACTOR_STEP_UP =
  "With a second factor enrolled, secondFactorCode is needed too: a code from the authenticator app, a recovery code, or a step-up token from POST /users/me/passkeys/step-up (409 auth.second_factor_required when absent, 401 auth.invalid_second_factor when wrong).";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Who may call: anyone, a valid access token (Bearer), or a refresh token (`Authorization: Refresh <token>`). */
export type RouteAuth = "none" | "bearer" | "refresh";

export interface Clients {
  auth: Client<typeof AuthService>;
  users: Client<typeof UserService>;
}

/** The gateway's own answers (meta routes). */
export interface GatewayInfo {
  /** The auth service's JWKS, from the gateway's cache. */
  jwks(): Promise<unknown>;
  /** Whether the auth service answers grpc.health.v1 Check with SERVING. */
  ready(): Promise<boolean>;
  openapi(): unknown;
}

/** What a handler gets: parsed input, the RPC clients and the headers to put on every RPC. */
export interface RouteContext<B, Q> {
  params: Record<string, string>;
  body: B;
  query: Q;
  /** The refresh token from `Authorization: Refresh <token>` (refresh routes only). */
  refreshToken: string;
  /** The uploaded file (multipart routes only). */
  file: Uint8Array;
  clients: Clients;
  gateway: GatewayInfo;
  /** authorization (bearer routes), x-forwarded-for, user-agent, x-request-id: pass as `{ headers: ctx.rpcHeaders }`. */
  rpcHeaders: Record<string, string>;
}

/** A handler's answer: a status and a JSON body (none for 204). */
export interface RouteResult {
  status: number;
  body?: unknown;
}

export interface Route<B = unknown, Q = unknown> {
  method: Method;
  /** OpenAPI path template, e.g. /users/{id}. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: "auth" | "users" | "meta";
  auth: RouteAuth;
  /** JSON request body; absent means the body is ignored. */
  body?: z.ZodType<B>;
  /** Multipart upload of one file field. */
  multipart?: { field: string; description: string };
  query?: z.ZodType<Q>;
  /** Success status and body schema (null: no body). */
  response: { status: number; schema: z.ZodType | null; description: string };
  /** Cache-Control of the success response; every other response is no-store. */
  cacheControl?: string;
  /** Error statuses this route may answer besides 500/503 (documented in OpenAPI). */
  errors: number[];
  handle(ctx: RouteContext<B, Q>): Promise<RouteResult>;
}

/** The user_id of a /users/{id}/… route: "me" is the caller (an empty user_id). */
const userIdParam = (id: string): string => (id === "me" ? "" : id);

/** PATCH body → UpdateProfile fields and an update_mask naming exactly the keys present. */
export function profileUpdateFrom(body: z.infer<typeof s.PatchMeBody>): { name: string; image: string; locale: string; profile: Profile; paths: string[] } {
  const paths: string[] = [];
  if (body.name !== undefined) paths.push("name");
  if (body.image !== undefined) paths.push("image");
  if (body.locale !== undefined) paths.push("locale");
  const profile = create(ProfileSchema);
  for (const field of ProfileSchema.fields) {
    const value = body.profile?.[field.localName as ProfileKey];
    if (value === undefined) continue;
    paths.push(`profile.${field.name}`);
    // null clears: the field keeps its zero value ("" or 0), which the contract reads as "not set".
    if (value !== null) (profile as unknown as Record<string, string | number>)[field.localName] = value;
  }
  if (paths.length === 0) throw new HttpError(400, "invalid_argument", "request.invalid_argument", "the body names no field to change (name, image, locale or profile.<field>)");
  return { name: body.name ?? "", image: body.image ?? "", locale: body.locale ?? "", profile, paths };
}

export const ROUTES: Route[] = [
  route<z.infer<typeof s.RegisterBody>>({
    method: "POST",
    path: "/auth/register",
    operationId: "register",
    summary: "Create an account and sign it in",
    description: "Mails a link to verify the address. The password policy: 8–1024 characters, not a commonly used password.",
    tag: "auth",
    auth: "none",
    body: s.RegisterBody,
    response: { status: 201, schema: s.UserAndTokens, description: "the new account and its first session's tokens" },
    errors: [400, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const res = await clients.auth.register(
        { email: body.email, password: body.password, name: body.name ?? "", locale: body.locale ?? "" },
        { headers: rpcHeaders },
      );
      return ok(json(RegisterResponseSchema, res), 201);
    },
  }),
  route<z.infer<typeof s.LoginBody>>({
    method: "POST",
    path: "/auth/login",
    operationId: "login",
    summary: "Sign in with email and password (a new session)",
    tag: "auth",
    auth: "none",
    body: s.LoginBody,
    description:
      "For an account with a second factor, a client that sends secondFactorCapable: true gets only secondFactorChallenge (no session yet; with passkeyOptions when the account has passkeys) and finishes with /auth/complete-sign-in; any other client gets 409 with reason auth.second_factor_required.",
    response: { status: 200, schema: s.SignInResult, description: "the account and the new session's tokens, or the challenge of the second step" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const res = await clients.auth.login({ email: body.email, password: body.password, secondFactorCapable: body.secondFactorCapable ?? false }, { headers: rpcHeaders });
      return ok(withPasskeyOptions(json(LoginResponseSchema, res)));
    },
  }),
  route({
    method: "POST",
    path: "/auth/refresh",
    operationId: "refresh",
    summary: "Rotate tokens",
    description:
      "The refresh token comes only from `Authorization: Refresh <refreshToken>`; any body is ignored, so the tokens are always those of the refresh token's own session. The presented token is spent.",
    tag: "auth",
    auth: "refresh",
    response: { status: 200, schema: s.TokensOnly, description: "the rotated tokens" },
    errors: [401, 429],
    async handle({ refreshToken, clients, rpcHeaders }) {
      const res = await clients.auth.refresh({ refreshToken }, { headers: rpcHeaders });
      return ok(json(RefreshResponseSchema, res));
    },
  }),
  route({
    method: "POST",
    path: "/auth/logout",
    operationId: "logout",
    summary: "End the refresh token's session",
    description: "Refresh token in `Authorization: Refresh <refreshToken>`. Idempotent.",
    tag: "auth",
    auth: "refresh",
    response: { status: 204, schema: null, description: "the session has ended" },
    errors: [401],
    async handle({ refreshToken, clients, rpcHeaders }) {
      await clients.auth.logout({ refreshToken }, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route<z.infer<typeof s.EmailBody>>({
    method: "POST",
    path: "/auth/forgot-password",
    operationId: "forgotPassword",
    summary: "Mail a password reset link",
    description: "Answers the same whether or not an account uses the address.",
    tag: "auth",
    auth: "none",
    body: s.EmailBody,
    response: { status: 204, schema: null, description: "a link was mailed if an account uses the address" },
    errors: [400, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      await clients.auth.requestPasswordReset({ email: body.email }, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route<z.infer<typeof s.ResetPasswordBody>>({
    method: "POST",
    path: "/auth/reset-password",
    operationId: "resetPassword",
    summary: "Set a new password with the token from the reset mail",
    description: "Ends every session of the account.",
    tag: "auth",
    auth: "none",
    body: s.ResetPasswordBody,
    response: { status: 204, schema: null, description: "password changed; sign in again" },
    errors: [400, 401, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      await clients.auth.resetPassword({ token: body.token, newPassword: body.newPassword }, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route<z.infer<typeof s.TokenBody>>({
    method: "POST",
    path: "/auth/verify-email",
    operationId: "verifyEmail",
    summary: "Verify the address with the token from the verification mail",
    tag: "auth",
    auth: "none",
    body: s.TokenBody,
    response: { status: 200, schema: s.UserOnly, description: "the account, its email verified" },
    errors: [400, 401, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const res = await clients.auth.verifyEmail({ token: body.token }, { headers: rpcHeaders });
      return ok(json(VerifyEmailResponseSchema, res));
    },
  }),
  route<z.infer<typeof s.TokenBody>>({
    method: "POST",
    path: "/auth/confirm-email-change",
    operationId: "confirmEmailChange",
    summary: "Move the account to its new address with the token from the email-change mail",
    description:
      "Marks the new address verified and tells the old one; sessions stay signed in. 409 (reason user.already_exists) when another account took the address since the link was sent: nothing changed.",
    tag: "auth",
    auth: "none",
    body: s.TokenBody,
    response: { status: 200, schema: s.UserOnly, description: "the account at its new address, verified" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      const res = await clients.auth.confirmEmailChange({ token: body.token }, { headers: rpcHeaders });
      return ok(json(ConfirmEmailChangeResponseSchema, res));
    },
  }),
  route({
    method: "POST",
    path: "/auth/request-email-verification",
    operationId: "requestEmailVerification",
    summary: "Mail a new verification link to the caller's address",
    tag: "auth",
    auth: "bearer",
    response: { status: 204, schema: null, description: "a link was mailed" },
    errors: [401, 409, 429],
    async handle({ clients, rpcHeaders }) {
      await clients.auth.requestEmailVerification({}, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route({
    method: "GET",
    path: "/users/me",
    operationId: "getMe",
    summary: "The caller's account",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.UserOnly, description: "the caller's account" },
    errors: [401],
    async handle({ clients, rpcHeaders }) {
      return ok(json(GetMeResponseSchema, await clients.users.getMe({}, { headers: rpcHeaders })));
    },
  }),
  route<z.infer<typeof s.PatchMeBody>>({
    method: "PATCH",
    path: "/users/me",
    operationId: "updateMe",
    summary: "Change the caller's name, image URL, language or profile fields",
    description: "Only the keys present change; null or an empty string clears a field. Unknown keys are refused.",
    tag: "users",
    auth: "bearer",
    body: s.PatchMeBody,
    response: { status: 200, schema: s.UserOnly, description: "the account after the change" },
    errors: [400, 401, 413],
    async handle({ body, clients, rpcHeaders }) {
      const u = profileUpdateFrom(body);
      const res = await clients.users.updateProfile(
        { name: u.name, image: u.image, locale: u.locale, profile: u.profile, updateMask: create(FieldMaskSchema, { paths: u.paths }) },
        { headers: rpcHeaders },
      );
      return ok(json(UpdateProfileResponseSchema, res));
    },
  }),
  route<z.infer<typeof s.DeleteAccountBody>>({
    method: "DELETE",
    path: "/users/me",
    operationId: "deleteMe",
    summary: "Delete the caller's account and end every session",
    description:
      `Needs the current password in the body, or for accounts without one a sign-in less than 5 minutes old (401 with reason auth.recent_sign_in_required otherwise). ${SECOND_FACTOR_STEP_UP}`,
    tag: "users",
    auth: "bearer",
    body: s.DeleteAccountBody,
    response: { status: 204, schema: null, description: "the account is gone" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      await clients.users.deleteAccount({ password: body.password ?? "", secondFactorCode: body.secondFactorCode ?? "" }, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route<z.infer<typeof s.ChangePasswordBody>>({
    method: "POST",
    path: "/users/me/password",
    operationId: "changePassword",
    summary: "Change the caller's password",
    description: `Checks the current password; ends every other session of the caller. The new password follows the policy of register. ${SECOND_FACTOR_STEP_UP}`,
    tag: "users",
    auth: "bearer",
    body: s.ChangePasswordBody,
    response: { status: 204, schema: null, description: "password changed; this session stays signed in" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      await clients.users.changePassword(
        { currentPassword: body.currentPassword, newPassword: body.newPassword, secondFactorCode: body.secondFactorCode ?? "" },
        { headers: rpcHeaders },
      );
      return noContent;
    },
  }),
  route<z.infer<typeof s.EmailChangeBody>>({
    method: "POST",
    path: "/users/me/email-change",
    operationId: "requestEmailChange",
    summary: "Mail a link to confirm a new address for the caller's account",
    description:
      `Needs the current password, or for accounts without one a sign-in less than 5 minutes old (401 with reason auth.recent_sign_in_required otherwise). The answer is the same whether or not the new address has an account (that address is told instead of getting a link). A newer request voids older links. Mails count against the verification-mail limit (429). ${SECOND_FACTOR_STEP_UP}`,
    tag: "users",
    auth: "bearer",
    body: s.EmailChangeBody,
    response: { status: 204, schema: null, description: "a link is on its way to the new address" },
    errors: [400, 401, 409, 413, 429],
    async handle({ body, clients, rpcHeaders }) {
      await clients.users.requestEmailChange(
        { newEmail: body.newEmail, password: body.password ?? "", secondFactorCode: body.secondFactorCode ?? "" },
        { headers: rpcHeaders },
      );
      return noContent;
    },
  }),
  route({
    method: "PUT",
    path: "/users/me/image",
    operationId: "uploadImage",
    summary: "Upload the caller's avatar (PNG, JPEG or WebP, at most 2 MiB)",
    tag: "users",
    auth: "bearer",
    multipart: { field: "image", description: "the image file: PNG, JPEG or WebP, at most 2 MiB" },
    response: { status: 200, schema: s.UserOnly, description: "the account with its new image URL" },
    errors: [400, 401, 413, 415],
    async handle({ file, clients, rpcHeaders }) {
      return ok(json(UploadAvatarResponseSchema, await clients.users.uploadAvatar({ image: file }, { headers: rpcHeaders })));
    },
  }),
  route({
    method: "GET",
    path: "/users/me/sessions",
    operationId: "listSessions",
    summary: "The caller's live sessions, newest first",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.SessionList, description: "the sessions; the caller's own has current: true" },
    errors: [401],
    async handle({ clients, rpcHeaders }) {
      return ok(json(ListSessionsResponseSchema, await clients.users.listSessions({}, { headers: rpcHeaders })));
    },
  }),
  route({
    method: "DELETE",
    path: "/users/me/sessions/{id}",
    operationId: "revokeSession",
    summary: "End one of the caller's sessions",
    tag: "users",
    auth: "bearer",
    response: { status: 204, schema: null, description: "the session has ended" },
    errors: [400, 401, 404],
    async handle({ params, clients, rpcHeaders }) {
      await clients.users.revokeSession({ sessionId: params.id! }, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route({
    method: "GET",
    path: "/users/me/sign-in-methods",
    operationId: "listSignInMethods",
    summary: "The caller's ways in: whether a password is set, and the linked providers",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.SignInMethods, description: "the password flag and the provider links, oldest first" },
    errors: [401],
    async handle({ clients, rpcHeaders }) {
      return ok(json(ListSignInMethodsResponseSchema, await clients.users.listSignInMethods({}, { headers: rpcHeaders })));
    },
  }),
  route({
    method: "DELETE",
    path: "/users/me/sign-in-methods/{id}",
    operationId: "unlinkSignInMethod",
    summary: "Remove one of the caller's provider links",
    description: "Refused with 409 (reason account.last_sign_in_method) when it is the last way in: no password and no other link.",
    tag: "users",
    auth: "bearer",
    response: { status: 204, schema: null, description: "the provider link is gone" },
    errors: [400, 401, 404, 409],
    async handle({ params, clients, rpcHeaders }) {
      await clients.users.unlinkSignInMethod({ linkedAccountId: params.id! }, { headers: rpcHeaders });
      return noContent;
    },
  }),
  route<z.infer<typeof s.RevokeAllBody>>({
    method: "POST",
    path: "/users/me/sessions/revoke-all",
    operationId: "revokeAllSessions",
    summary: "End every session of the caller",
    description: "With keepCurrent: true the session of the calling access token stays alive.",
    tag: "users",
    auth: "bearer",
    body: s.RevokeAllBody,
    response: { status: 200, schema: s.RevokedCount, description: "how many sessions ended" },
    errors: [400, 401, 413],
    async handle({ body, clients, rpcHeaders }) {
      const res = await clients.users.revokeAllSessions({ keepCurrent: body.keepCurrent ?? false }, { headers: rpcHeaders });
      return ok(json(RevokeAllSessionsResponseSchema, res));
    },
  }),
  route<unknown, z.infer<typeof s.ListUsersQuery>>({
    method: "GET",
    path: "/users",
    operationId: "listUsers",
    summary: "Page through every account (admins only)",
    tag: "users",
    auth: "bearer",
    query: s.ListUsersQuery,
    response: { status: 200, schema: s.UserPage, description: "one page of accounts, oldest first" },
    errors: [400, 401, 403],
    async handle({ query, clients, rpcHeaders }) {
      const res = await clients.users.listUsers(
        { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "", emailPrefix: query.emailPrefix ?? "" },
        { headers: rpcHeaders },
      );
      return ok(json(ListUsersResponseSchema, res));
    },
  }),
  route<unknown, z.infer<typeof s.ListAuditEventsQuery>>({
    method: "GET",
    path: "/audit-events",
    operationId: "listAuditEvents",
    summary: "Page through security events, newest first (admins only)",
    tag: "users",
    auth: "bearer",
    query: s.ListAuditEventsQuery,
    response: { status: 200, schema: s.AuditEventPage, description: "one page of events, newest first" },
    errors: [400, 401, 403],
    async handle({ query, clients, rpcHeaders }) {
      const type = AuditEventTypeSchema.values.find((v) => v.name === query.type)?.number ?? 0;
      const res = await clients.users.listAuditEvents(
        { pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "", userId: query.userId ?? "", type },
        { headers: rpcHeaders },
      );
      return ok(json(ListAuditEventsResponseSchema, res));
    },
  }),
  route({
    method: "GET",
    path: "/users/{id}",
    operationId: "getUser",
    summary: "One account: the caller's own, or any for an admin",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.UserOnly, description: "the account" },
    errors: [400, 401, 403, 404],
    async handle({ params, clients, rpcHeaders }) {
      return ok(json(GetUserResponseSchema, await clients.users.getUser({ userId: params.id! }, { headers: rpcHeaders })));
    },
  }),
  route({
    method: "GET",
    path: "/users/{id}/sessions",
    operationId: "listUserSessions",
    summary: "A user's live sessions, newest first (admins only, or the caller's own id)",
    description: "A non-admin gets 403 for every id but their own, whether or not it exists.",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.SessionList, description: "the sessions" },
    errors: [400, 401, 403, 404],
    async handle({ params, clients, rpcHeaders }) {
      return ok(json(ListSessionsResponseSchema, await clients.users.listSessions({ userId: userIdParam(params.id!) }, { headers: rpcHeaders })));
    },
  }),
  route({
    method: "DELETE",
    path: "/users/{id}/sessions",
    operationId: "revokeUserSessions",
    summary: "End every session of a user (admins only, or the caller's own id)",
    description: "Each ended session is recorded with the admin as actor. A non-admin gets 403 for every id but their own, whether or not it exists.",
    tag: "users",
    auth: "bearer",
    response: { status: 200, schema: s.RevokedCount, description: "how many sessions ended" },
    errors: [400, 401, 403, 404],
    async handle({ params, clients, rpcHeaders }) {
      const res = await clients.users.revokeAllSessions({ userId: userIdParam(params.id!) }, { headers: rpcHeaders });
      return ok(json(RevokeAllSessionsResponseSchema, res));
    },
  }),
  route<z.infer<typeof s.SetRoleBody>>({
    method: "PUT",
    path: "/users/{id}/role",
    operationId: "setUserRole",
    summary: "Grant or remove the admin role (admins only)",
    description:
      "Recorded with the admin as actor; the role the user already has changes nothing. 409 (reason user.last_admin) when the change would leave no admin.",
    tag: "users",
    auth: "bearer",
    body: s.SetRoleBody,
    response: { status: 200, schema: s.UserOnly, description: "the account with its role" },
    errors: [400, 401, 403, 404, 409, 413],
    async handle({ params, body, clients, rpcHeaders }) {
      const res = await clients.users.setUserRole({ userId: params.id!, role: Role[body.role === "ROLE_ADMIN" ? "ADMIN" : "USER"] }, { headers: rpcHeaders });
      return ok(json(SetUserRoleResponseSchema, res));
    },
  }),
  ...SECOND_FACTOR_ROUTES,
  ...PASSKEY_ROUTES,
  route({
    method: "GET",
    path: "/.well-known/jwks.json",
    operationId: "getJwks",
    summary: "The public keys that verify access tokens (EdDSA), proxied from the auth service",
    description: "Cached by the gateway for about 5 minutes. Verify tokens pinning alg EdDSA, typ at+jwt, the issuer and the audience.",
    tag: "meta",
    auth: "none",
    cacheControl: "public, max-age=300",
    response: {
      status: 200,
      schema: zod.object({ keys: zod.array(zod.looseObject({ kty: zod.string(), kid: zod.string().optional() })) }),
      description: "a JSON Web Key Set",
    },
    errors: [],
    async handle({ gateway }) {
      return ok(await gateway.jwks());
    },
  }),
  route({
    method: "GET",
    path: "/healthz",
    operationId: "healthz",
    summary: "Liveness: the gateway process is up",
    tag: "meta",
    auth: "none",
    response: { status: 200, schema: zod.object({ status: zod.literal("ok") }), description: "up" },
    errors: [],
    async handle() {
      return ok({ status: "ok" });
    },
  }),
  route({
    method: "GET",
    path: "/readyz",
    operationId: "readyz",
    summary: "Readiness: the auth service answers health SERVING",
    tag: "meta",
    auth: "none",
    response: { status: 200, schema: zod.object({ status: zod.literal("ready") }), description: "ready; 503 otherwise" },
    errors: [],
    async handle({ gateway }) {
      if (!(await gateway.ready())) throw new HttpError(503, "unavailable", "server.unavailable", "the auth service is not serving");
      return ok({ status: "ready" });
    },
  }),
  route({
    method: "GET",
    path: "/openapi.json",
    operationId: "openapi",
    summary: "This API's OpenAPI 3.1 description",
    tag: "meta",
    auth: "none",
    cacheControl: "public, max-age=60",
    response: { status: 200, schema: zod.looseObject({ openapi: zod.string() }), description: "the OpenAPI document" },
    errors: [],
    async handle({ gateway }) {
      return ok(gateway.openapi());
    },
  }),
];
