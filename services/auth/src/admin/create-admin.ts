import type { PrismaClient } from "../db/generated/client.js";
import { isUniqueViolation } from "../db/database-errors.js";
import { auditRow } from "../audit/audit-event.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { setRole, type SetRoleOutcome } from "./roles.js";

/** What createAdminAccount did. */
export type CreateAdminOutcome = { kind: "exists" } | { kind: "created"; userId: string; role: SetRoleOutcome };

/**
 * Creates an account with a password (already hashed) and makes it an admin: the first admin
 * of a fresh deployment, made from the command line. USER_REGISTERED is recorded with the
 * account, then the role is given through setRole (ROLE_CHANGED, as for any promotion). Two
 * steps: should the second fail, the account exists as a plain user and grant-admin finishes
 * the job. "exists" when the (normalised) email is taken: nothing is changed.
 */
export async function createAdminAccount(
  db: PrismaClient,
  input: { email: string; passwordHash: string },
  opts: { client: ClientInfo; via: string },
): Promise<CreateAdminOutcome> {
  let userId: string;
  try {
    userId = await db.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, passwordHash: input.passwordHash }, select: { id: true } });
      await tx.auditEvent.create({ data: auditRow({ type: "USER_REGISTERED", userId: user.id, client: opts.client, data: { via: opts.via } }) });
      return user.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return { kind: "exists" };
    throw err;
  }
  return { kind: "created", userId, role: await setRole(db, { id: userId }, "ADMIN", opts) };
}
