/**
 * JSON shapes of the REST surface, defined once: the router validates requests with them, the
 * OpenAPI document is generated from them, and tests check responses against them. Response
 * bodies are the proto JSON of the auth service's messages (camelCase, RFC 3339 timestamps,
 * enums by name, implicit defaults emitted).
 */
import { ScalarType } from "@bufbuild/protobuf";
import { z } from "zod";
import { AuditEventTypeSchema } from "../../../gen/tessera/user/v1/audit_event_pb.js";
import { ProfileSchema, type Profile as ProfileMessage } from "../../../gen/tessera/user/v1/user_pb.js";
import { GATEWAY_REASONS } from "./errors.js";
import {
  EMAIL_MAX_LENGTH,
  NAME_MAX,
  PASSKEY_NAME_MAX,
  PASSKEY_RESPONSE_MAX_BYTES,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  PROFILE_LIMITS,
  URL_MAX,
  type ProfileFieldLimit,
  type ProfileIntLimit,
  type ProfileKey,
  type ProfileStringLimit,
} from "../../shared/contract-limits.js";

/**
 * What the OpenAPI document reads of a schema: `id` names it (emitted under
 * components.schemas); the other keys are added to its JSON Schema, to describe, not to check.
 */
export const named = z.registry<{ id?: string; description?: string; maxLength?: number }>();

const gatewayReasons = Object.entries(GATEWAY_REASONS)
  .map(([reason, meaning]) => `${reason} (${meaning})`)
  .join("; ");

const timestamp = z.string().meta({ format: "date-time", description: "RFC 3339 timestamp, UTC" });

export const ErrorBody = z
  .object({
    type: z.literal("about:blank").meta({ description: "RFC 9457 problem type: always about:blank; `reason` tells problems apart" }),
    title: z.string().meta({ description: "the HTTP status text, e.g. Bad Request" }),
    status: z.number().int().meta({ description: "the HTTP status code" }),
    detail: z.string().meta({ description: "what went wrong, for people; may change: branch on `reason`" }),
    code: z.string().meta({ description: "Connect code name in snake_case, e.g. invalid_argument, unauthenticated; method_not_allowed for a 405" }),
    reason: z.string().meta({ description: `stable reason to branch on: the auth service's (tessera.errors.v1.ErrorDetail) or the gateway's own: ${gatewayReasons}` }),
    message: z.string().meta({ description: "same as `detail`" }),
    field: z.string().optional().meta({ description: "request field at fault (INVALID_ARGUMENT only), in this API's camelCase spelling" }),
  })
  .register(named, {
    id: "Error",
    description: "RFC 9457 problem details, served as application/problem+json, with the extension members code, reason, message and field",
  });

const isInt = (limit: ProfileFieldLimit): limit is ProfileIntLimit => limit.kind === "year" || limit.kind === "employees";

/** The Profile message's fields, in the contract's order, each with its rule from the shared table. */
const profileFields = ProfileSchema.fields.map((field) => {
  const key = field.localName as ProfileKey;
  const limit: ProfileFieldLimit = PROFILE_LIMITS[key];
  if (field.fieldKind !== "scalar" || field.scalar !== (isInt(limit) ? ScalarType.INT32 : ScalarType.STRING))
    throw new Error(`Profile.${field.name}: its JSON schema is written for a string or int32 field`);
  return { key, limit };
});

/** A schema per Profile field, typed like the generated message: `S` for a string, `N` for an int32. */
type ProfileShape<S, N> = { [K in ProfileKey]: ProfileMessage[K] extends string ? S : N };
function profileShape<S extends z.ZodType, N extends z.ZodType>(
  string: (limit: ProfileStringLimit) => S,
  int: (limit: ProfileIntLimit) => N,
): ProfileShape<S, N> {
  const entries = profileFields.map(({ key, limit }) => [key, isInt(limit) ? int(limit) : string(limit)]);
  return Object.fromEntries(entries) as ProfileShape<S, N>;
}

export const Profile = z.object(profileShape(() => z.string(), () => z.number().int())).register(named, { id: "Profile" });

/** The languages of pages and mail (the auth service's kernel/locale.ts LOCALES). */
const locale = () => z.enum(["en", "fr"]);

export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    emailVerifiedTime: timestamp.optional(),
    name: z.string(),
    image: z.string(),
    role: z.enum(["ROLE_UNSPECIFIED", "ROLE_USER", "ROLE_ADMIN"]),
    profile: Profile.optional(),
    createTime: timestamp.optional(),
    updateTime: timestamp.optional(),
    locale: locale().meta({ description: "the language of the user's pages and mail" }),
  })
  .register(named, { id: "User" });

export const Tokens = z
  .object({
    accessToken: z.string(),
    accessTokenExpireTime: timestamp.optional(),
    refreshToken: z.string(),
    refreshTokenExpireTime: timestamp.optional(),
    tokenType: z.string(),
    sessionId: z.string(),
  })
  .register(named, { id: "Tokens" });

export const Session = z
  .object({
    id: z.string(),
    userAgent: z.string(),
    ipAddress: z.string(),
    createTime: timestamp.optional(),
    lastUsedTime: timestamp.optional(),
    expireTime: timestamp.optional(),
    current: z.boolean(),
    browser: z.string().meta({ description: 'the browser read from userAgent with its major version, e.g. "Firefox 132"; empty when none' }),
    operatingSystem: z.string().meta({ description: 'the operating system read from userAgent, e.g. "macOS", "Android 14"; empty when none' }),
  })
  .register(named, { id: "Session" });

export const UserAndTokens = z.object({ user: User, tokens: Tokens });

/**
 * WebAuthn JSON passed through as objects: options from the auth service (its options_json
 * parsed), answers from the browser (serialised into response_json). The WebAuthn Level 3 JSON
 * types and @simplewebauthn define their members; the auth service checks them.
 */
const webAuthnJson = (id: string, description: string) => z.record(z.string(), z.unknown()).register(named, { id, description });
export const WebAuthnCreationOptions = webAuthnJson(
  "WebAuthnCreationOptions",
  "a PublicKeyCredentialCreationOptionsJSON (WebAuthn Level 3, binary members base64url): give it to PublicKeyCredential.parseCreationOptionsFromJSON then navigator.credentials.create, or to @simplewebauthn/browser's startRegistration({ optionsJSON })",
);
export const WebAuthnRequestOptions = webAuthnJson(
  "WebAuthnRequestOptions",
  "a PublicKeyCredentialRequestOptionsJSON (WebAuthn Level 3, binary members base64url): give it to PublicKeyCredential.parseRequestOptionsFromJSON then navigator.credentials.get, or to @simplewebauthn/browser's startAuthentication({ optionsJSON })",
);
export const WebAuthnRegistrationResponse = webAuthnJson(
  "WebAuthnRegistrationResponse",
  `a RegistrationResponseJSON: the credential navigator.credentials.create returned, as its toJSON() (or @simplewebauthn/browser's startRegistration) gives it; at most ${PASSKEY_RESPONSE_MAX_BYTES / 1024} KiB serialised`,
);
export const WebAuthnAuthenticationResponse = webAuthnJson(
  "WebAuthnAuthenticationResponse",
  `an AuthenticationResponseJSON: the credential navigator.credentials.get returned, as its toJSON() (or @simplewebauthn/browser's startAuthentication) gives it; at most ${PASSKEY_RESPONSE_MAX_BYTES / 1024} KiB serialised`,
);

export const SecondFactorChallenge = z
  .object({
    token: z.string().meta({ description: "pass it as challengeToken to /auth/complete-sign-in; single use" }),
    expireTime: timestamp.optional(),
    methods: z.array(z.string()).meta({ description: 'the proofs accepted: "totp", "passkey", "recovery_code"; ignore unknown ones' }),
    passkeyOptions: WebAuthnRequestOptions.optional().meta({
      description: 'present when methods holds "passkey": the request options listing the account\'s passkeys; answer with passkeyResponse to /auth/complete-sign-in (the options expire with the challenge)',
    }),
  })
  .register(named, { id: "SecondFactorChallenge", description: "the pending second step of a sign-in (5 minutes)" });
export const ChallengeOnly = z.object({ secondFactorChallenge: SecondFactorChallenge });
export const SignInResult = z.union([UserAndTokens, ChallengeOnly]);
export const TotpEnrollment = z.object({
  secret: z.string().meta({ description: "the TOTP secret in base32, to type into an authenticator app" }),
  otpauthUri: z.string().meta({ description: "the otpauth://totp/ URI to show as a QR code" }),
});
export const RecoveryCodes = z.object({
  recoveryCodes: z.array(z.string()).meta({ description: '10 single-use codes "xxxxx-xxxxx", shown once' }),
});
export const SecondFactorStatus = z.object({
  totpEnabled: z.boolean(),
  totpEnabledTime: timestamp.optional(),
  recoveryCodesRemaining: z.number().int(),
  passkeyCount: z.number().int().meta({ description: "how many passkeys the account has (GET /users/me/passkeys lists them)" }),
});
export const Passkey = z
  .object({
    id: z.string().meta({ description: "the passkey's id in Tessera (not the WebAuthn credential id)" }),
    name: z.string().meta({ description: `the owner's label, at most ${PASSKEY_NAME_MAX} characters` }),
    createTime: timestamp.optional(),
    lastUsedTime: timestamp.optional().meta({ description: "its latest successful use; absent when never used" }),
    backedUp: z.boolean().meta({ description: "a synced passkey (kept by a password manager or platform account, usable from several devices)" }),
    transports: z.array(z.string()).meta({ description: 'how the authenticator said it can be reached ("internal", "hybrid", "usb", "nfc", "ble")' }),
  })
  .register(named, { id: "Passkey", description: "a WebAuthn credential of the account: a second factor, and a way to sign in without a password" });
export const PasskeyOnly = z.object({ passkey: Passkey });
export const PasskeyList = z.object({ passkeys: z.array(Passkey).meta({ description: "oldest first" }) });
export const PasskeyRegistration = z.object({
  passkey: Passkey,
  recoveryCodes: z.array(z.string()).meta({ description: '10 single-use codes "xxxxx-xxxxx" when this passkey is the account\'s first second factor, shown once; empty otherwise (the existing codes stay valid)' }),
});
export const PasskeyCreationOptions = z.object({ options: WebAuthnCreationOptions });
export const PasskeyRequestOptions = z.object({ options: WebAuthnRequestOptions });
export const StepUpToken = z.object({
  stepUpToken: z.string().meta({ description: "43 base64url characters: send it as secondFactorCode of one sensitive change by this session" }),
  expireTime: timestamp.optional().meta({ description: "when it stops working (5 minutes)" }),
});
export const UserOnly = z.object({ user: User });
export const TokensOnly = z.object({ tokens: Tokens });
export const SessionList = z.object({ sessions: z.array(Session) });
export const UserPage = z.object({ users: z.array(User), nextPageToken: z.string() });
export const RevokedCount = z.object({ revokedCount: z.number().int() });

export const LinkedAccount = z
  .object({
    id: z.string(),
    provider: z.string(),
    createTime: timestamp.optional(),
    removable: z.boolean(),
  })
  .register(named, { id: "LinkedAccount" });
export const SignInMethods = z.object({ hasPassword: z.boolean(), linkedAccounts: z.array(LinkedAccount) });

/** AuditEventType by name, as proto JSON spells it. */
const auditEventTypes = AuditEventTypeSchema.values.map((v) => v.name) as [string, ...string[]];
const storedAuditEventTypes = auditEventTypes.filter((name) => name !== "AUDIT_EVENT_TYPE_UNSPECIFIED") as [string, ...string[]];

export const AuditEvent = z
  .object({
    id: z.string(),
    type: z.enum(auditEventTypes),
    userId: z.string().meta({ description: "the account concerned; empty when none is known" }),
    sessionId: z.string().meta({ description: "the session concerned; empty when none" }),
    ipAddress: z.string(),
    userAgent: z.string(),
    createTime: timestamp.optional(),
    actorUserId: z.string().meta({ description: "the admin who acted on userId's account (role change, sessions ended by an admin); empty when the user acted themself or no user acted" }),
  })
  .register(named, { id: "AuditEvent" });
export const AuditEventPage = z.object({ events: z.array(AuditEvent), nextPageToken: z.string() });

/** What secondFactorCode may hold, on every route that asks for it. */
const SECOND_FACTOR_CODE =
  "a code from the authenticator app, a recovery code, or a step-up token from POST /users/me/passkeys/step-up; required when the account has a second factor";

// ---- requests (types only; the auth service enforces lengths and policies and names the field,
// so a length limit is only described here)

/**
 * Request text: no NUL (PostgreSQL text cannot hold it) and no unpaired UTF-16 surrogate (JSON
 * can carry one, protobuf cannot: it would be silently replaced by U+FFFD on the way to the
 * auth service). Refused here with 400 naming the field, as the auth service refuses it.
 */
const text = () =>
  z.string().refine((v) => !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v), {
    message: "must not contain NUL characters or unpaired surrogates",
  });

export const RegisterBody = z.object({
  email: text(),
  password: text(),
  name: text().optional(),
  locale: locale().optional().meta({ description: 'the language of pages and mail; absent means "en"' }),
});
export const LoginBody = z.object({
  email: text(),
  password: text(),
  secondFactorCapable: z
    .boolean()
    .optional()
    .meta({ description: "the client handles secondFactorChallenge; without it an account with a second factor is refused (409 auth.second_factor_required)" }),
});
export const CompleteSignInBody = z.object({
  challengeToken: text(),
  totpCode: text().optional().meta({ description: "the 6-digit code of the authenticator app; give exactly one of totpCode, recoveryCode and passkeyResponse" }),
  recoveryCode: text().optional().meta({ description: "one of the account's recovery codes" }),
  passkeyResponse: WebAuthnAuthenticationResponse.optional().meta({ description: "the assertion answering the challenge's passkeyOptions" }),
});
export const PasswordBody = z.object({
  password: text().optional().meta({ description: "the current password; required when the account has one" }),
});
export const CodeBody = z.object({ code: text().meta({ description: "the code the authenticator app shows now" }) });
export const StepUpBody = z.object({
  password: text().optional().meta({ description: "the current password; required when the account has one" }),
  secondFactorCode: text().optional().meta({ description: SECOND_FACTOR_CODE }),
});
export const EmailBody = z.object({ email: text() });
export const FinishPasskeyRegistrationBody = z.object({
  response: WebAuthnRegistrationResponse,
  name: text().optional().register(named, { maxLength: PASSKEY_NAME_MAX, description: 'a label for the passkey; "Passkey" when absent or empty' }),
});
export const RenamePasskeyBody = z.object({ name: text().register(named, { maxLength: PASSKEY_NAME_MAX, description: "the new label, 1 character or more" }) });
export const PasskeyResponseBody = z.object({ response: WebAuthnAuthenticationResponse });
export const ResetPasswordBody = z.object({ token: text(), newPassword: text() });
export const TokenBody = z.object({ token: text() });
export const ChangePasswordBody = z.object({
  currentPassword: text(),
  newPassword: text(),
  secondFactorCode: text().optional().meta({ description: SECOND_FACTOR_CODE }),
});
export const DeleteAccountBody = z.object({
  password: text().optional().meta({ description: "the current password; required when the account has one" }),
  secondFactorCode: text().optional().meta({ description: SECOND_FACTOR_CODE }),
});
export const EmailChangeBody = z.object({
  newEmail: text().meta({ description: "the address to move to; it changes only once the link mailed there is followed" }),
  password: text().optional().meta({ description: "the current password; required when the account has one" }),
  secondFactorCode: text().optional().meta({ description: SECOND_FACTOR_CODE }),
});
export const SetRoleBody = z.object({
  role: z.enum(["ROLE_USER", "ROLE_ADMIN"]).meta({ description: "the role the account should have" }),
});
export const RevokeAllBody = z.object({
  keepCurrent: z.boolean().optional().meta({ description: "keep the session of the calling access token (default false)" }),
});

/** A request string that may be null; `maxLength` describes the auth service's limit. */
const str = (maxLength: number, description?: string) =>
  text()
    .nullable()
    .register(named, { maxLength, ...(description ? { description } : {}) });
// The contract's int32 fields: a JSON number beyond int32 cannot even be encoded for the RPC, so
// it is refused here (400 naming the field) instead of failing as a 500 on the way out.
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const int32 = (description: string, min = INT32_MIN, max = INT32_MAX) =>
  z.number().int().min(min).max(max).nullable().register(named, { description });

/**
 * A Profile field in a request. The year's range moves with the calendar, so the auth service
 * alone checks it; the head count's is fixed and refused here too.
 */
const profilePatchString = (limit: ProfileStringLimit) =>
  str(limit.maxLength, limit.kind === "website" ? 'an absolute http or https URL; null or "" clears it' : undefined).optional();
const profilePatchInt = (limit: ProfileIntLimit) =>
  (limit.kind === "year"
    ? int32(`a year from ${limit.min} to the ${limit.max}; 0 or null clears it`)
    : int32(`head count, ${limit.min} to ${limit.max.toLocaleString("en-US")}; 0 or null clears it`, limit.min, limit.max)
  ).optional();

/** A partial profile: the keys present are changed (null or "" clears), the others left alone. */
export const ProfilePatch = z.strictObject(profileShape(profilePatchString, profilePatchInt));
export const PatchMeBody = z.strictObject({
  name: str(NAME_MAX).optional(),
  image: str(URL_MAX, 'https URL of an avatar; null or "" removes it').optional(),
  profile: ProfilePatch.optional(),
  locale: locale().optional().meta({ description: "the language of pages and mail" }),
});

const page = {
  pageSize: z.coerce
    .number()
    .int()
    .min(0)
    .max(PAGE_SIZE_MAX)
    .register(named, { description: `1 to ${PAGE_SIZE_MAX}; 0 or absent means ${PAGE_SIZE_DEFAULT}` })
    .optional(),
  /** Not a contract limit: a token of a previous page is far shorter. */
  pageToken: text().max(1024).optional(),
};

export const ListUsersQuery = z.object({ ...page, emailPrefix: text().max(EMAIL_MAX_LENGTH).optional() });

export const ListAuditEventsQuery = z.object({
  ...page,
  userId: text().optional().meta({ description: "only this account's events" }),
  type: z.enum(storedAuditEventTypes).optional().meta({ description: "only events of this type" }),
});
