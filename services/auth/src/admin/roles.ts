import type { PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import type { ClientInfo } from "../kernel/client-info.js";

export type RoleName = "USER" | "ADMIN";

/** What setRole did. */
export type SetRoleOutcome =
  | { kind: "not_found" }
  | { kind: "unchanged"; userId: string; role: RoleName }
  | { kind: "changed"; userId: string; from: RoleName; to: RoleName };

/**
 * Gives the account with this (normalised) email `role`, recording ROLE_CHANGED with the old
 * and new role in the same transaction. Nothing is written when the role is already `role`.
 * The change applies to the user's next request: UserService reads the role per call.
 */
export async function setRole(
  db: PrismaClient,
  email: string,
  role: RoleName,
  opts: { client: ClientInfo; via: string },
): Promise<SetRoleOutcome> {
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; role: RoleName }[]>`
      SELECT id, role::text AS role FROM "User" WHERE email = ${email} FOR UPDATE`;
    const user = rows[0];
    if (!user) return { kind: "not_found" } as const;
    if (user.role === role) return { kind: "unchanged", userId: user.id, role } as const;
    await tx.user.update({ where: { id: user.id }, data: { role } });
    await tx.auditEvent.create({
      data: auditRow({ type: "ROLE_CHANGED", userId: user.id, client: opts.client, data: { from: user.role, to: role, via: opts.via } }),
    });
    return { kind: "changed", userId: user.id, from: user.role, to: role } as const;
  });
}
