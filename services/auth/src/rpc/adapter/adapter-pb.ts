import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AdapterAccountSchema, type AdapterAccount } from "../../../../../gen/tessera/adapter/v1/adapter_account_pb.js";
import { AdapterSessionSchema, type AdapterSession } from "../../../../../gen/tessera/adapter/v1/adapter_session_pb.js";
import { AdapterUserSchema, type AdapterUser } from "../../../../../gen/tessera/adapter/v1/adapter_user_pb.js";
import { VerificationTokenSchema, type VerificationToken } from "../../../../../gen/tessera/adapter/v1/verification_token_pb.js";
import type { AccountRow, AdapterUserRow } from "../../adapter/adapter-store.js";

// Shaped for next-auth: a null column is an unset field (null there), never "" or epoch 0.
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** A user row as next-auth's AdapterUser. */
export function adapterUserToPb(u: AdapterUserRow): AdapterUser {
  return create(AdapterUserSchema, {
    id: u.id,
    email: u.email,
    emailVerified: u.emailVerified ? timestampFromDate(u.emailVerified) : undefined,
    name: opt(u.name),
    image: opt(u.image),
  });
}

/** An account row as next-auth's AdapterAccount. */
export function adapterAccountToPb(a: AccountRow): AdapterAccount {
  return create(AdapterAccountSchema, {
    userId: a.userId,
    type: a.type,
    provider: a.provider,
    providerAccountId: a.providerAccountId,
    refreshToken: opt(a.refresh_token),
    accessToken: opt(a.access_token),
    expiresAt: a.expires_at ?? undefined,
    tokenType: opt(a.token_type),
    scope: opt(a.scope),
    idToken: opt(a.id_token),
    sessionState: opt(a.session_state),
  });
}

/** A NextAuth database session, with the caller's plain token (only its hash is stored). */
export function adapterSessionToPb(sessionToken: string, s: { userId: string; expires: Date }): AdapterSession {
  return create(AdapterSessionSchema, { sessionToken, userId: s.userId, expires: timestampFromDate(s.expires) });
}

/** A verification token, with the caller's plain token (only its hash is stored). */
export function verificationTokenToPb(token: string, v: { identifier: string; expires: Date }): VerificationToken {
  return create(VerificationTokenSchema, { identifier: v.identifier, token, expires: timestampFromDate(v.expires) });
}
