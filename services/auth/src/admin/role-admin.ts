import type { PrismaClient } from "../db/generated/client.js";
import type { UserRecord } from "../identity/user.js";
import type { UserStore } from "../identity/user-store.js";
import type { Caller } from "../kernel/caller.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError } from "../kernel/errors.js";
import { requireAdmin } from "../user/accounts.js";
import { setRole, type RoleName } from "./roles.js";

/** UserService.SetUserRole: admins grant and remove the admin role, through the same setRole as the command line. */
export class RoleAdmin {
  constructor(
    private readonly db: PrismaClient,
    private readonly users: UserStore,
  ) {}

  /**
   * Gives `userId` the role (no write and no event when it has it already) and records
   * ROLE_CHANGED with the caller as actor. user.last_admin when no admin would be left.
   */
  async setUserRole(caller: Caller, userId: string, role: RoleName, client: ClientInfo): Promise<UserRecord> {
    requireAdmin(caller);
    const outcome = await setRole(this.db, { id: userId }, role, { client, via: "SetUserRole", actorUserId: caller.userId });
    switch (outcome.kind) {
      case "not_found":
        throw new DomainError("user.not_found");
      case "last_admin":
        throw new DomainError("user.last_admin");
      // Demoted by another admin while this call waited for the lock.
      case "actor_not_admin":
        throw new DomainError("auth.permission_denied");
      case "unchanged":
      case "changed": {
        const user = await this.users.findById(outcome.userId);
        if (!user) throw new DomainError("user.not_found");
        return user;
      }
    }
  }
}
