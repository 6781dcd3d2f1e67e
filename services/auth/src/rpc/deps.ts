import type { AdapterStore } from "../adapter/adapter-store.js";
import type { AdminDirectory } from "../admin/admin-directory.js";
import type { RoleAdmin } from "../admin/role-admin.js";
import type { AuditLog } from "../audit/audit-log.js";
import type { AccountRecovery } from "../auth/account-recovery.js";
import type { PasswordAuth } from "../auth/password-auth.js";
import type { AvatarStorage } from "../avatar/avatar-storage.js";
import type { Config } from "../config/config.js";
import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/client.js";
import type { HealthStatus } from "../grpc/health.js";
import type { UserStore } from "../identity/user-store.js";
import type { OutboxWorker } from "../mail/outbox-worker.js";
import type { PasswordHasher } from "../password/hasher.js";
import type { PasskeySignIn } from "../passkey/passkey-sign-in.js";
import type { Passkeys } from "../passkey/passkeys.js";
import type { StepUpGrants } from "../passkey/step-up-grants.js";
import type { Authenticator } from "../session/authenticator.js";
import type { SecondFactors } from "../second-factor/second-factors.js";
import type { SignInChallenges } from "../second-factor/sign-in-challenges.js";
import type { SessionService } from "../session/session-service.js";
import type { SessionStore } from "../session/session-store.js";
import type { Throttle } from "../throttle/throttle.js";
import type { AccessTokens } from "../token/access-token.js";
import type { KeyRing } from "../token/key-ring.js";
import type { Accounts } from "../user/accounts.js";
import type { EmailChange } from "../user/email-change.js";
import type { SignInMethodStore } from "../user/provider-links.js";

/** Everything handlers need, built once per process; tests build their own. */
export interface Deps {
  config: Config;
  logger: Logger;
  db: PrismaClient;
  keys: KeyRing;
  accessTokens: AccessTokens;
  sessionStore: SessionStore;
  sessions: SessionService;
  users: UserStore;
  hasher: PasswordHasher;
  audit: AuditLog;
  /** Login, Register, reset and verification throttling, counted in PostgreSQL (shared by replicas). */
  throttle: Throttle;
  authn: Authenticator;
  /** The caller's own account: profile, password, sessions, deletion (UserService). */
  accounts: Accounts;
  /** Moving the caller's account to a new address (RequestEmailChange, ConfirmEmailChange). */
  emailChange: EmailChange;
  /** Granting and removing the admin role (UserService.SetUserRole). */
  roles: RoleAdmin;
  /** The caller's password and provider links (UserService.ListSignInMethods, UnlinkSignInMethod). */
  signInMethods: SignInMethodStore;
  /** Admin-only listings of users and audit events (UserService.ListUsers, ListAuditEvents). */
  directory: AdminDirectory;
  passwordAuth: PasswordAuth;
  /** The caller's authenticator app and recovery codes, and admins' removal of them (UserService). */
  secondFactors: SecondFactors;
  /** The second step of a sign-in (Login, AdapterService.IssueTokens, CompleteSignIn). */
  signInChallenges: SignInChallenges;
  /** The caller's passkeys: registration, list, rename, delete (UserService). */
  passkeys: Passkeys;
  /** Passwordless sign-in with a passkey (AuthService.Begin/FinishPasskeySignIn). */
  passkeySignIn: PasskeySignIn;
  /** Passkey step-up tokens for sensitive changes (UserService.Begin/FinishPasskeyStepUp). */
  stepUpGrants: StepUpGrants;
  /** Email verification and password reset (one-time tokens by mail). */
  accountRecovery: AccountRecovery;
  /** Uploaded avatar images (UserService.UploadAvatar, GET /avatars/<key>). */
  avatars: AvatarStorage;
  health: HealthStatus;
  /** Outbox mail delivery; call mail.nudge() after committing a transaction that queued mail. */
  mail: OutboxWorker;
  /** next-auth's users, accounts, database sessions and verification tokens (AdapterService). */
  adapterStore: AdapterStore;
}

