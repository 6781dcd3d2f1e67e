/**
 * JSON shapes of the REST surface, defined once: the router validates requests with them, the
 * OpenAPI document is generated from them, and tests check responses against them. Response
 * bodies are the proto JSON of the auth service's messages (camelCase, RFC 3339 timestamps,
 * enums by name, implicit defaults emitted).
 */
import { z } from "zod";

/** Named schemas, emitted under components.schemas. */
export const named = z.registry<{ id: string }>();

const timestamp = z.string().meta({ format: "date-time", description: "RFC 3339 timestamp, UTC" });

export const ErrorBody = z
  .object({
    code: z.string().meta({ description: "Connect code name in snake_case, e.g. invalid_argument, unauthenticated" }),
    message: z.string(),
    field: z.string().optional().meta({ description: "request field at fault (INVALID_ARGUMENT only), in this API's camelCase spelling" }),
  })
  .register(named, { id: "Error" });

export const Profile = z
  .object({
    companyName: z.string(),
    about: z.string(),
    country: z.string(),
    website: z.string(),
    region: z.string(),
    industry: z.string(),
    foundedYear: z.number().int(),
    headquarters: z.string(),
    employeesNumber: z.number().int(),
    annualOperatingBudget: z.string(),
    background: z.string(),
  })
  .register(named, { id: "Profile" });

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
  })
  .register(named, { id: "Session" });

export const UserAndTokens = z.object({ user: User, tokens: Tokens });
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

// ---- requests (types only; the auth service enforces lengths and policies and names the field)

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
});
export const LoginBody = z.object({ email: text(), password: text() });
export const EmailBody = z.object({ email: text() });
export const ResetPasswordBody = z.object({ token: text(), newPassword: text() });
export const TokenBody = z.object({ token: text() });
export const RevokeAllBody = z.object({
  keepCurrent: z.boolean().optional().meta({ description: "keep the session of the calling access token (default false)" }),
});

const str = text().nullable();
// The contract's int32 fields: a JSON number beyond int32 cannot even be encoded for the RPC, so
// it is refused here (400 naming the field) instead of failing as a 500 on the way out.
const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const int32 = (min = INT32_MIN, max = INT32_MAX) => z.number().int().min(min).max(max).nullable();
/** A partial profile: the keys present are changed (null or "" clears), the others left alone. */
export const ProfilePatch = z.strictObject({
  companyName: str.optional(),
  about: str.optional(),
  country: str.optional(),
  website: str.optional(),
  region: str.optional(),
  industry: str.optional(),
  foundedYear: int32().optional().meta({ description: "a year from 1000 to the current year; 0 or null clears it" }),
  headquarters: str.optional(),
  employeesNumber: int32(0, 10_000_000).optional().meta({ description: "head count, 0 to 10,000,000; 0 or null clears it" }),
  annualOperatingBudget: str.optional(),
  background: str.optional(),
});
export const PatchMeBody = z.strictObject({
  name: str.optional(),
  image: str.optional().meta({ description: "https URL of an avatar; null or \"\" removes it" }),
  profile: ProfilePatch.optional(),
});

export const ListUsersQuery = z.object({
  pageSize: z.coerce.number().int().min(0).max(100).optional(),
  pageToken: text().max(1024).optional(),
  emailPrefix: text().max(254).optional(),
});
