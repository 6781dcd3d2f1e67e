import type { PrismaClient } from "../db/generated/client.js";
import { auditRow } from "../audit/audit-event.js";
import type { ClientInfo } from "../kernel/client-info.js";

export type RoleName = "USER" | "ADMIN";

/** What setRole did. */
export type SetRoleOutcome =
  | { kind: "not_found" }
  /** The change would leave no admin; nothing was written. */
  | { kind: "last_admin"; userId: string }
  /** The acting admin is no longer an admin (demoted by a concurrent change); nothing was written. */
  | { kind: "actor_not_admin" }
  | { kind: "unchanged"; userId: string; role: RoleName }
  | { kind: "changed"; userId: string; from: RoleName; to: RoleName };

/** Whose role to set: by (normalised) email for the command line, by id for UserService.SetUserRole. */
export type RoleTarget = { email: string } | { id: string };

/**
 * Gives the account `role`, recording ROLE_CHANGED with the old and new role (and the acting
 * admin, when one acts) in the same transaction. Nothing is written when the role is already
 * `role`, or when removing it would leave no admin. The change applies to the user's next
 * request: UserService reads the role per call.
 *
 * Race-free: every admin row is locked (in id order, so concurrent calls queue instead of
 * deadlocking) before the count is taken, so two admins demoting each other at once run one
 * after the other and the second sees one admin left. The actor's role is re-read under the
 * same locks: an admin demoted meanwhile can no longer act.
 */
export async function setRole(
  db: PrismaClient,
  target: RoleTarget,
  role: RoleName,
  opts: { client: ClientInfo; via: string; actorUserId?: string },
): Promise<SetRoleOutcome> {
  return db.$transaction(async (tx) => {
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "User" WHERE role = 'ADMIN'::"Role" ORDER BY id FOR UPDATE`;
    if (opts.actorUserId !== undefined && !admins.some((a) => a.id === opts.actorUserId)) return { kind: "actor_not_admin" } as const;
    const rows =
      "email" in target
        ? await tx.$queryRaw<{ id: string; role: RoleName }[]>`SELECT id, role::text AS role FROM "User" WHERE email = ${target.email} FOR UPDATE`
        : await tx.$queryRaw<{ id: string; role: RoleName }[]>`SELECT id, role::text AS role FROM "User" WHERE id = ${target.id} FOR UPDATE`;
    const user = rows[0];
    if (!user) return { kind: "not_found" } as const;
    if (user.role === role) return { kind: "unchanged", userId: user.id, role } as const;
    if (user.role === "ADMIN" && admins.length <= 1) return { kind: "last_admin", userId: user.id } as const;
    await tx.user.update({ where: { id: user.id }, data: { role } });
    await tx.auditEvent.create({
      data: auditRow({
        type: "ROLE_CHANGED",
        userId: user.id,
        actorUserId: opts.actorUserId ?? null,
        client: opts.client,
        data: { from: user.role, to: role, via: opts.via },
      }),
    });
    return { kind: "changed", userId: user.id, from: user.role, to: role } as const;
  });
}
