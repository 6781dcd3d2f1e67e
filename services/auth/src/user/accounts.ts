import type { Caller } from "../kernel/caller.js";
import type { UserRecord } from "../identity/user.js";
import type { UserStore } from "../identity/user-store.js";
import type { PasswordHasher } from "../password/hasher.js";
import type { SecondFactorCheck } from "../second-factor/second-factor-check.js";
import { checkPasswordPolicy, PASSWORD_PROBLEM_MESSAGES } from "../password/policy.js";
import { DomainError, invalidArgument } from "../kernel/errors.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { PasswordFailures } from "../throttle/password-failures.js";
import { PASSWORD_CHECK_FAILURES } from "../throttle/rules.js";
import type { Throttle } from "../throttle/throttle.js";
import type { AccountStore, SessionRecord } from "./account-store.js";
import type { ProfilePatch } from "./profile-update.js";

/** How recent a sign-in must be to delete an account that has no password. */
export const RECENT_SIGN_IN_MS = 5 * 60 * 1000;

const WRONG_PASSWORD = () => new DomainError("auth.invalid_credentials", "the password is incorrect");

/** Refuses callers without ROLE_ADMIN. */
export function requireAdmin(caller: Caller): void {
  if (caller.role !== "ADMIN") throw new DomainError("auth.permission_denied");
}

/** What a signed-in user may do to their own account (UserService). */
export class Accounts {
  /**
   * Failed current-password checks, per user and client and per user, like Login's: without
   * it, a stolen access token would be an unlimited oracle for the account's password.
   */
  private readonly failures: PasswordFailures;

  constructor(
    private readonly store: AccountStore,
    private readonly users: UserStore,
    private readonly hasher: PasswordHasher,
    throttle: Throttle,
    /** Step-up: ChangePassword, DeleteAccount and RequestEmailChange need a second factor when one is enrolled. */
    private readonly secondFactor: Pick<SecondFactorCheck, "requireForChange">,
  ) {
    this.failures = new PasswordFailures(throttle, PASSWORD_CHECK_FAILURES);
  }

  /** The caller's own account. */
  async me(caller: Caller): Promise<UserRecord> {
    const user = await this.users.findById(caller.userId);
    if (!user) throw new DomainError("session.revoked");
    return user;
  }

  /**
   * Any account for an admin, only their own for anyone else. A non-admin gets
   * PERMISSION_DENIED for every other id, whether it exists or not.
   */
  async get(caller: Caller, userId: string): Promise<UserRecord> {
    if (userId === caller.userId) return this.me(caller);
    if (caller.role !== "ADMIN") throw new DomainError("auth.permission_denied", "you may only read your own account");
    const user = await this.users.findById(userId);
    if (!user) throw new DomainError("user.not_found");
    return user;
  }

  async updateProfile(caller: Caller, patch: ProfilePatch): Promise<UserRecord> {
    const user = await this.store.updateProfile(caller.userId, patch);
    if (!user) throw new DomainError("session.revoked");
    return user;
  }

  /**
   * Checks the current password (throttled like Login: RESOURCE_EXHAUSTED before any argon2
   * work once the user's failures reach a limit), then, when the account has a second factor,
   * `secondFactorCode`, then sets the new one and ends every other session.
   */
  async changePassword(caller: Caller, current: string, next: string, secondFactorCode: string, client: ClientInfo): Promise<void> {
    const hash = await this.store.passwordHashOf(caller.userId);
    if (hash === undefined) throw new DomainError("session.revoked");
    // verify() does a full argon2 run even for accounts without a password.
    if (!(await this.checkPassword(caller.userId, hash, current, client)) || hash === null) throw WRONG_PASSWORD();
    const problem = checkPasswordPolicy(next);
    if (problem) throw invalidArgument("new_password", PASSWORD_PROBLEM_MESSAGES[problem]);
    await this.secondFactor.requireForChange(caller, secondFactorCode, client);
    const newHash = await this.hasher.hash(next);
    const changed = await this.store.changePassword({
      userId: caller.userId,
      currentSessionId: caller.sessionId,
      expectedHash: hash,
      newHash,
      client,
    });
    // The password changed (or was reset) between our check and our write: the one we checked is stale.
    if (!changed) throw WRONG_PASSWORD();
  }

  /** The live sessions of the caller, or of `userId` for an admin (PERMISSION_DENIED / NOT_FOUND as for get). */
  async listSessions(caller: Caller, userId = ""): Promise<SessionRecord[]> {
    return this.store.listSessions(await this.ownerOf(caller, userId));
  }

  /** Ends one of the caller's live sessions; NOT_FOUND for any other id, never revealing whose it is. */
  async revokeSession(caller: Caller, sessionId: string, client: ClientInfo): Promise<void> {
    if (!(await this.store.revokeSession(caller.userId, sessionId, client))) {
      throw new DomainError("session.not_found");
    }
  }

  /**
   * Ends every live session of the caller (but the current one with keepCurrent), or every one
   * of `userId` for an admin, whose SESSION_REVOKED events then name the admin as actor.
   */
  async revokeAllSessions(caller: Caller, keepCurrent: boolean, client: ClientInfo, userId = ""): Promise<number> {
    const owner = await this.ownerOf(caller, userId);
    if (owner === caller.userId) return this.store.revokeSessions(caller.userId, keepCurrent ? caller.sessionId : null, client);
    return this.store.revokeSessionsByAdmin(owner, caller.userId, client);
  }

  /** Whose sessions a request names: the caller's when `userId` is empty, else checked as get() does. */
  private async ownerOf(caller: Caller, userId: string): Promise<string> {
    if (userId === "" || userId === caller.userId) return caller.userId;
    return (await this.get(caller, userId)).id;
  }

  /**
   * Deletes the caller's account: with the current password when it has one (throttled like
   * ChangePassword's), otherwise only from a session that signed in less than RECENT_SIGN_IN_MS ago.
   */
  async deleteAccount(caller: Caller, password: string, secondFactorCode: string, client: ClientInfo): Promise<void> {
    const hash = await this.confirmIdentity(caller, password, client, "sign in again, then delete the account within 5 minutes", secondFactorCode);
    const deleted = await this.store.deleteUser({ userId: caller.userId, expectedHash: hash, sessionId: caller.sessionId, client });
    if (!deleted) throw hash === null ? new DomainError("session.revoked") : WRONG_PASSWORD();
  }

  /**
   * Re-checks who the caller is before a sensitive change (DeleteAccount, RequestEmailChange):
   * the current password when the account has one (throttled like ChangePassword's: RESOURCE_EXHAUSTED
   * before any argon2 work past the limit), otherwise a sign-in less than RECENT_SIGN_IN_MS old,
   * else UNAUTHENTICATED auth.recent_sign_in_required with `retryHint` as its message. Returns
   * the password hash that was checked (null for accounts without one). With
   * `secondFactorCode` (a step-up), an account with a second factor must also give a current
   * code: FAILED_PRECONDITION auth.second_factor_required when it is empty,
   * UNAUTHENTICATED auth.invalid_second_factor when it is wrong.
   */
  async confirmIdentity(caller: Caller, password: string, client: ClientInfo, retryHint: string, secondFactorCode?: string): Promise<string | null> {
    const hash = await this.store.passwordHashOf(caller.userId);
    if (hash === undefined) throw new DomainError("session.revoked");
    if (hash !== null) {
      if (!(await this.checkPassword(caller.userId, hash, password, client))) throw WRONG_PASSWORD();
    } else {
      const started = await this.store.sessionStartedAt(caller.sessionId);
      if (!started) throw new DomainError("session.revoked");
      if (Date.now() - started.getTime() >= RECENT_SIGN_IN_MS) {
        throw new DomainError("auth.recent_sign_in_required", retryHint);
      }
    }
    if (secondFactorCode !== undefined) await this.secondFactor.requireForChange(caller, secondFactorCode, client);
    return hash;
  }

  /**
   * Verifies `password` against `hash` (a full argon2 run even when hash is null), counting a
   * failure per user and client and per user; a success clears both counts.
   */
  private async checkPassword(userId: string, hash: string | null, password: string, client: ClientInfo): Promise<boolean> {
    const attempt = await this.failures.begin(userId, client.ipAddress);
    let ok: boolean;
    try {
      ok = await this.hasher.verify(hash, password);
    } catch (err) {
      await attempt.notCounted().catch(() => undefined);
      throw err;
    }
    if (ok) await attempt.succeeded();
    return ok;
  }
}
