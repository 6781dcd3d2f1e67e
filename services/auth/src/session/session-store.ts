import type { Prisma, PrismaClient } from "../db/generated/client.js";
import { auditRow, type AuditEventInput } from "../audit/audit-event.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { EmailTakenError, USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { UserRecord } from "../identity/user.js";
import type { TokenHash } from "./refresh-token.js";

/** Outcome of exchanging a refresh token. */
export type RotateOutcome =
  | { kind: "rotated"; sessionId: string; userId: string; expires: Date; grace: boolean }
  | { kind: "unknown" }
  | { kind: "revoked" }
  | { kind: "expired" }
  | { kind: "reused"; sessionId: string; userId: string };

interface LockedToken {
  id: string;
  usedAt: Date | null;
  sessionId: string;
  userId: string;
  expires: Date;
  revokedAt: Date | null;
}

/** Sessions and their refresh tokens in PostgreSQL. Token values arrive already hashed. */
export class SessionStore {
  constructor(private readonly db: PrismaClient) {}

  /**
   * Creates a session with its first refresh token and records the events, atomically. With
   * `newUser`, the account is created in the same transaction (Register): a failure leaves
   * neither behind. Throws EmailTakenError when the email is in use.
   */
  async create(input: {
    user: { id: string } | { newUser: { email: string; passwordHash: string; name: string | null } };
    expires: Date;
    client: ClientInfo;
    tokenHash: TokenHash;
    events: Omit<AuditEventInput, "sessionId" | "userId">[];
    /** Runs in the same transaction once the user exists (Register queues its verification mail). */
    afterCreate?: (tx: Prisma.TransactionClient, user: UserRecord) => Promise<void>;
  }): Promise<{ sessionId: string; user: UserRecord }> {
    try {
      return await this.db.$transaction(async (tx) => {
        const user = toUserRecord(
          "newUser" in input.user
            ? await tx.user.create({ data: input.user.newUser, select: USER_FIELDS })
            : await tx.user.findUniqueOrThrow({ where: { id: input.user.id }, select: USER_FIELDS }),
        );
        const session = await tx.session.create({
          data: {
            userId: user.id,
            expires: input.expires,
            userAgent: input.client.userAgent,
            ipAddress: input.client.ipAddress,
            refreshTokens: { create: { tokenHash: input.tokenHash } },
          },
        });
        await tx.auditEvent.createMany({
          data: input.events.map((e) => auditRow({ ...e, userId: user.id, sessionId: session.id })),
        });
        await input.afterCreate?.(tx, user);
        return { sessionId: session.id, user };
      });
    } catch (err) {
      if ((err as { code?: string }).code === "P2002") throw new EmailTakenError();
      throw err;
    }
  }

  /**
   * Spends a refresh token and stores its successor. The token and session rows are locked
   * so concurrent exchanges of one token serialise.
   *
   * `nextHash` is the hash of the token's derived successor (successorOf): the same for every
   * exchange of one token. The first exchange stores it; an exchange of the spent token less
   * than `graceMs` later (a second tab, a retried request) gets that same successor again, as
   * long as the successor itself is unspent. Anything else — the window has passed, or the
   * successor has already been rotated (its holder moved on, so this is not a concurrent
   * request) — is reuse: the session is revoked and REFRESH_TOKEN_REUSED recorded. So a session
   * never has two live branches: at any time at most one unspent refresh token is valid, and a
   * replay can only ever yield the token the legitimate holder also has. Auth0 ("reuse interval")
   * and Okta ("grace period for token rotation") likewise accept the previous token for a short
   * leeway; deriving the successor makes the leeway hand out the one successor instead of new ones.
   */
  async rotate(input: { tokenHash: TokenHash; nextHash: TokenHash; graceMs: number; client: ClientInfo }): Promise<RotateOutcome> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<LockedToken[]>`
        SELECT rt.id, rt."usedAt", rt."sessionId", s."userId", s.expires, s."revokedAt"
        FROM "RefreshToken" rt JOIN "Session" s ON s.id = rt."sessionId"
        WHERE rt."tokenHash" = ${input.tokenHash}
        FOR UPDATE OF s, rt`;
      const row = rows[0];
      if (!row) return { kind: "unknown" } as const;
      if (row.revokedAt) return { kind: "revoked" } as const;
      const now = new Date();
      if (row.expires <= now) return { kind: "expired" } as const;
      if (row.usedAt) {
        const inGrace = now.getTime() - row.usedAt.getTime() < input.graceMs;
        // Under the session lock taken above: no rotation of the successor can interleave.
        const successor = inGrace
          ? await tx.refreshToken.findUnique({ where: { tokenHash: input.nextHash }, select: { sessionId: true, usedAt: true } })
          : null;
        // No successor row: the token was spent before successors were derived; never open a second branch.
        if (!successor || successor.sessionId !== row.sessionId || successor.usedAt) {
          await tx.session.update({ where: { id: row.sessionId }, data: { revokedAt: now, revokeReason: "refresh_token_reused" } });
          await tx.auditEvent.create({
            data: auditRow({ type: "REFRESH_TOKEN_REUSED", userId: row.userId, sessionId: row.sessionId, client: input.client }),
          });
          return { kind: "reused", sessionId: row.sessionId, userId: row.userId } as const;
        }
      } else {
        await tx.refreshToken.update({ where: { id: row.id }, data: { usedAt: now } });
        await tx.refreshToken.create({ data: { tokenHash: input.nextHash, sessionId: row.sessionId } });
      }
      await tx.session.update({ where: { id: row.sessionId }, data: { lastUsedAt: now } });
      return { kind: "rotated", sessionId: row.sessionId, userId: row.userId, expires: row.expires, grace: row.usedAt !== null } as const;
    });
  }

  /** Revokes the live session a refresh token (spent or not) belongs to; false when none. */
  async revokeByToken(tokenHash: TokenHash, reason: string, client: ClientInfo): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const token = await tx.refreshToken.findUnique({ where: { tokenHash }, select: { session: true } });
      const session = token?.session;
      if (!session || session.revokedAt) return false;
      await tx.session.update({ where: { id: session.id }, data: { revokedAt: new Date(), revokeReason: reason } });
      await tx.auditEvent.create({
        data: auditRow({ type: "SESSION_REVOKED", userId: session.userId, sessionId: session.id, client, data: { reason } }),
      });
      return true;
    });
  }

  /** The owner of a session that is neither revoked nor expired, with their role; else null. */
  async findLive(sessionId: string): Promise<{ userId: string; role: "USER" | "ADMIN" } | null> {
    const s = await this.db.session.findUnique({
      where: { id: sessionId },
      select: { revokedAt: true, expires: true, userId: true, user: { select: { role: true } } },
    });
    if (!s || s.revokedAt || s.expires <= new Date()) return null;
    return { userId: s.userId, role: s.user.role };
  }
}
