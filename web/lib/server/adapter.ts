// next-auth v4's Adapter over tessera.adapter.v1.AdapterService: NextAuth keeps its users,
// provider accounts, database sessions and email sign-in tokens in the auth service. Server
// only (the client carries the service credential; see ./rpc.ts). Errors from the service
// (UNAVAILABLE, UNAUTHENTICATED, ALREADY_EXISTS, ...) propagate as ConnectErrors; the only
// "not found" answers are the service's own empty responses, which become null here.
import "server-only";
import type { Client } from "@connectrpc/connect";
import type { Adapter, AdapterAccount, AdapterSession, AdapterUser, VerificationToken } from "next-auth/adapters";
import type { AdapterService } from "../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import {
  fromAdapterAccount,
  orUnset,
  toAdapterAccount,
  toAdapterSession,
  toAdapterUser,
  toTimestamp,
  toVerificationToken,
  type StoredAdapterAccount,
} from "./adapter-mapping.js";

/** A field the service always sets in a successful answer; its absence is a contract breach, not "not found". */
function required<T>(value: T | undefined, rpc: string, field: string): T {
  if (value === undefined) throw new Error(`AdapterService.${rpc} answered without ${field}`);
  return value;
}

/** The next-auth v4 Adapter backed by the auth service; pass `tessera().adapter`. */
export function TesseraAdapter(client: Client<typeof AdapterService>): Adapter {
  return {
    async createUser(user: Omit<AdapterUser, "id">): Promise<AdapterUser> {
      // next-auth passes the provider profile (minus its id); only these fields are stored.
      // It always passes emailVerified null for a provider sign-in; callbacks.signIn only lets
      // a new user through when the provider verified the address (normalizedProfile's
      // providerEmailVerified), so the user is created verified. The provider link that
      // follows is then made to a verified account, and proving the mailbox keeps it.
      const vouched = (user as { providerEmailVerified?: unknown }).providerEmailVerified === true;
      const res = await client.createUser({
        email: user.email,
        emailVerified: toTimestamp(user.emailVerified ?? (vouched ? new Date() : null)),
        name: orUnset(user.name),
        image: orUnset(user.image),
      });
      return toAdapterUser(required(res.user, "CreateUser", "user"));
    },

    async getUser(id: string): Promise<AdapterUser | null> {
      const { user } = await client.getUser({ id });
      return user ? toAdapterUser(user) : null;
    },

    async getUserByEmail(email: string): Promise<AdapterUser | null> {
      const { user } = await client.getUserByEmail({ email });
      return user ? toAdapterUser(user) : null;
    },

    async getUserByAccount({ provider, providerAccountId }: Pick<AdapterAccount, "provider" | "providerAccountId">): Promise<AdapterUser | null> {
      const { user } = await client.getUserByAccount({ provider, providerAccountId });
      return user ? toAdapterUser(user) : null;
    },

    async updateUser(user: Partial<AdapterUser> & Pick<AdapterUser, "id">): Promise<AdapterUser> {
      const res = await client.updateUser({
        id: user.id,
        email: orUnset(user.email),
        // The RPC cannot clear email_verified on its own (only a new email does), so null
        // leaves it as it is, like undefined.
        emailVerified: toTimestamp(user.emailVerified),
        // null clears: the RPC clears name/image when given "".
        name: user.name === null ? "" : user.name,
        image: user.image === null ? "" : user.image,
      });
      return toAdapterUser(required(res.user, "UpdateUser", "user"));
    },

    async deleteUser(userId: string): Promise<void> {
      // Removes the user's accounts and sessions too; a missing user is not an error.
      await client.deleteUser({ id: userId });
    },

    async linkAccount(account: AdapterAccount): Promise<AdapterAccount> {
      const res = await client.linkAccount({ account: fromAdapterAccount(account) });
      const stored: StoredAdapterAccount = toAdapterAccount(required(res.account, "LinkAccount", "account"));
      // The stored account with absent token fields null, as next-auth's database adapters
      // return it (next-auth ignores the result); its declared AdapterAccount type has those
      // fields optional but not nullable, hence the cast.
      return stored as unknown as AdapterAccount;
    },

    async unlinkAccount({ provider, providerAccountId }: Pick<AdapterAccount, "provider" | "providerAccountId">): Promise<void> {
      // A missing link is not an error.
      await client.unlinkAccount({ provider, providerAccountId });
    },

    async createSession(session: { sessionToken: string; userId: string; expires: Date }): Promise<AdapterSession> {
      const res = await client.createSession({
        session: { sessionToken: session.sessionToken, userId: session.userId, expires: toTimestamp(session.expires) },
      });
      return toAdapterSession(required(res.session, "CreateSession", "session"));
    },

    async getSessionAndUser(sessionToken: string): Promise<{ session: AdapterSession; user: AdapterUser } | null> {
      const { session, user } = await client.getSessionAndUser({ sessionToken });
      // Unknown, expired and revoked sessions all come back empty.
      if (!session && !user) return null;
      return {
        session: toAdapterSession(required(session, "GetSessionAndUser", "session")),
        user: toAdapterUser(required(user, "GetSessionAndUser", "user")),
      };
    },

    async updateSession(session: Partial<AdapterSession> & Pick<AdapterSession, "sessionToken">): Promise<AdapterSession | null> {
      // Only the expiry can change; userId is never moved to another user.
      const res = await client.updateSession({ sessionToken: session.sessionToken, expires: toTimestamp(session.expires) });
      return res.session ? toAdapterSession(res.session) : null;
    },

    async deleteSession(sessionToken: string): Promise<void> {
      // A missing session is not an error (sign-out of an already ended session).
      await client.deleteSession({ sessionToken });
    },

    async createVerificationToken(token: VerificationToken): Promise<VerificationToken> {
      const res = await client.createVerificationToken({
        verificationToken: { identifier: token.identifier, token: token.token, expires: toTimestamp(token.expires) },
      });
      return toVerificationToken(required(res.verificationToken, "CreateVerificationToken", "verification_token"));
    },

    async useVerificationToken({ identifier, token }: { identifier: string; token: string }): Promise<VerificationToken | null> {
      // next-auth passes the link's `email` parameter as the identifier, undefined when a
      // tampered link lacks it; no stored token has an empty identifier or token, so that is
      // simply no match (next-auth then shows its Verification error) rather than a bad request.
      if (!identifier || !token) return null;
      // An expired match is returned (and consumed) too: next-auth checks `expires` itself.
      const res = await client.useVerificationToken({ identifier, token });
      return res.verificationToken ? toVerificationToken(res.verificationToken) : null;
    },
  };
}
