// Conversions between tessera.adapter.v1 messages and the plain objects next-auth v4 expects.
// Outbound values are built field by field, so no protobuf internals ($typeName, unknown
// fields) reach next-auth; unset optional fields become null, Timestamps become Dates and
// int64 seconds become numbers.
import "server-only";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { AdapterAccount, AdapterSession, AdapterUser, VerificationToken } from "next-auth/adapters";
import type { AdapterAccount as PbAccount, AdapterAccountSchema } from "../../../gen/tessera/adapter/v1/adapter_account_pb.js";
import type { AdapterSession as PbSession } from "../../../gen/tessera/adapter/v1/adapter_session_pb.js";
import type { AdapterUser as PbUser } from "../../../gen/tessera/adapter/v1/adapter_user_pb.js";
import type { VerificationToken as PbVerificationToken } from "../../../gen/tessera/adapter/v1/verification_token_pb.js";

/** An optional string as next-auth stores it: null when absent. */
const orNull = (v: string | undefined): string | null => v ?? null;

/** A nullable/optional next-auth value as an unset proto3 optional field. */
export const orUnset = <T>(v: T | null | undefined): T | undefined => v ?? undefined;

/** A Timestamp the service must have set (e.g. a session's expires); its absence is a contract breach. */
export function requiredDate(t: Timestamp | undefined, what: string): Date {
  if (!t) throw new Error(`AdapterService returned ${what} without a value`);
  return timestampDate(t);
}

/** An optional Timestamp as next-auth's `Date | null`. */
export const optionalDate = (t: Timestamp | undefined): Date | null => (t ? timestampDate(t) : null);

/** A Date for a request; null or undefined leaves the field unset. */
export const toTimestamp = (d: Date | null | undefined): Timestamp | undefined => (d ? timestampFromDate(d) : undefined);

export function toAdapterUser(u: PbUser): AdapterUser {
  return {
    id: u.id,
    email: u.email,
    emailVerified: optionalDate(u.emailVerified),
    name: orNull(u.name),
    image: orNull(u.image),
  };
}

export function toAdapterSession(s: PbSession): AdapterSession {
  return { sessionToken: s.sessionToken, userId: s.userId, expires: requiredDate(s.expires, "a session") };
}

export function toVerificationToken(v: PbVerificationToken): VerificationToken {
  return { identifier: v.identifier, token: v.token, expires: requiredDate(v.expires, "a verification token") };
}

/**
 * An account as stored: next-auth's AdapterAccount with every absent token field null (the
 * shape next-auth's own database adapters return). next-auth's declared type has these
 * fields as optional, non-null strings/numbers, hence a type of its own.
 */
export interface StoredAdapterAccount {
  userId: string;
  type: AdapterAccount["type"];
  provider: string;
  providerAccountId: string;
  refresh_token: string | null;
  access_token: string | null;
  /** Seconds since the Unix epoch. */
  expires_at: number | null;
  token_type: string | null;
  scope: string | null;
  id_token: string | null;
  session_state: string | null;
}

export function toAdapterAccount(a: PbAccount): StoredAdapterAccount {
  return {
    userId: a.userId,
    // The service accepts next-auth's provider types (and "oidc", which next-auth v5 uses).
    type: a.type as AdapterAccount["type"],
    provider: a.provider,
    providerAccountId: a.providerAccountId,
    refresh_token: orNull(a.refreshToken),
    access_token: orNull(a.accessToken),
    // int64 seconds, range-checked by the service to 0..2^31-1, so always a safe number.
    expires_at: a.expiresAt === undefined ? null : Number(a.expiresAt),
    token_type: orNull(a.tokenType),
    scope: orNull(a.scope),
    id_token: orNull(a.idToken),
    session_state: orNull(a.sessionState),
  };
}

/** Seconds since the epoch as int64. Fractional seconds (never produced by next-auth) are floored. */
export function toInt64Seconds(v: unknown): bigint | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isFinite(v)) return BigInt(Math.floor(v));
  throw new TypeError(`account.expires_at must be a number of seconds, got ${typeof v}`);
}

/**
 * The proto fields of a next-auth account. Fields the proto does not carry (e.g. a provider's
 * extra token-response members such as `expires_in` or `oauth_token_secret`) are not stored.
 */
export function fromAdapterAccount(a: AdapterAccount): MessageInitShape<typeof AdapterAccountSchema> {
  const str = (v: unknown, field: string): string | undefined => {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== "string") throw new TypeError(`account.${field} must be a string, got ${typeof v}`);
    return v;
  };
  return {
    userId: a.userId,
    type: a.type,
    provider: a.provider,
    providerAccountId: a.providerAccountId,
    refreshToken: str(a.refresh_token, "refresh_token"),
    accessToken: str(a.access_token, "access_token"),
    expiresAt: toInt64Seconds(a.expires_at),
    tokenType: str(a.token_type, "token_type"),
    scope: str(a.scope, "scope"),
    idToken: str(a.id_token, "id_token"),
    sessionState: str(a.session_state, "session_state"),
  };
}
