import type { PrismaClient } from "../db/generated/client.js";
import type { AuditEventType } from "../audit/audit-event.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { UserRecord } from "../identity/user.js";
import { encodePageToken } from "./page-token.js";

/** One page of rows and the token of the next page ("" on the last). */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/** An audit row as listed to admins. */
export interface AuditEventRecord {
  id: string;
  type: string;
  userId: string | null;
  sessionId: string | null;
  /** The admin who acted on userId's account, if one did. */
  actorUserId: string | null;
  ipAddress: string;
  userAgent: string;
  createdAt: Date;
}

/** Read-only queries over every account and the audit log, for admins. Callers check the role. */
export class AdminDirectory {
  constructor(private readonly db: PrismaClient) {}

  /** Accounts oldest first (id order), after the cursor id, optionally by normalised email prefix. */
  async listUsers(input: { pageSize: number; after: string | null; emailPrefix: string }): Promise<Page<UserRecord>> {
    const rows = await this.db.user.findMany({
      where: {
        ...(input.after ? { id: { gt: input.after } } : {}),
        // Prisma passes startsWith to LIKE unescaped: escape its wildcards so "a_b" means a literal "_".
        ...(input.emailPrefix ? { email: { startsWith: escapeLike(input.emailPrefix) } } : {}),
      },
      orderBy: { id: "asc" },
      take: input.pageSize + 1,
      select: USER_FIELDS,
    });
    return pageOf(rows.map(toUserRecord), input.pageSize);
  }

  /** Audit events newest first (id order), before the cursor id, optionally of one user and one type. */
  async listAuditEvents(input: {
    pageSize: number;
    before: string | null;
    userId: string;
    type: AuditEventType | null;
  }): Promise<Page<AuditEventRecord>> {
    const rows = await this.db.auditEvent.findMany({
      where: {
        ...(input.before ? { id: { lt: input.before } } : {}),
        ...(input.userId ? { userId: input.userId } : {}),
        ...(input.type ? { type: input.type } : {}),
      },
      orderBy: { id: "desc" },
      take: input.pageSize + 1,
      select: { id: true, type: true, userId: true, sessionId: true, actorUserId: true, ipAddress: true, userAgent: true, createdAt: true },
    });
    return pageOf(rows, input.pageSize);
  }
}

/** `value` with LIKE's wildcards and escape character (backslash, PostgreSQL's default) escaped. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Trims the look-ahead row and derives the next token from the last row kept. */
function pageOf<T extends { id: string }>(rows: T[], pageSize: number): Page<T> {
  const more = rows.length > pageSize;
  const items = more ? rows.slice(0, pageSize) : rows;
  return { items, nextPageToken: more ? encodePageToken(items[items.length - 1]!.id) : "" };
}
