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

export const RegisterBody = z.object({
  email: z.string(),
  password: z.string(),
  name: z.string().optional(),
});
export const LoginBody = z.object({ email: z.string(), password: z.string() });
export const EmailBody = z.object({ email: z.string() });
export const ResetPasswordBody = z.object({ token: z.string(), newPassword: z.string() });
export const TokenBody = z.object({ token: z.string() });
export const RevokeAllBody = z.object({
  keepCurrent: z.boolean().optional().meta({ description: "keep the session of the calling access token (default false)" }),
});

const str = z.string().nullable();
const int = z.number().int().nullable();
/** A partial profile: the keys present are changed (null or "" clears), the others left alone. */
export const ProfilePatch = z.strictObject({
  companyName: str.optional(),
  about: str.optional(),
  country: str.optional(),
  website: str.optional(),
  region: str.optional(),
  industry: str.optional(),
  foundedYear: int.optional(),
  headquarters: str.optional(),
  employeesNumber: int.optional(),
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
  pageToken: z.string().max(1024).optional(),
  emailPrefix: z.string().max(254).optional(),
});
