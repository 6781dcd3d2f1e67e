import type pg from "pg";
import type { Config } from "../config/config.js";
import type { Logger } from "../config/logger.js";
import { AuditLog } from "../audit/audit-log.js";
import { AccountRecovery } from "../auth/account-recovery.js";
import { RecoveryStore } from "../auth/recovery-store.js";
import { avatarRoute } from "../http/avatar-route.js";
import { LocalDiskAvatarStorage, type AvatarStorage } from "../avatar/avatar-storage.js";
import { PasswordAuth } from "../auth/password-auth.js";
import type { PoolStats, PrismaClient } from "../db/client.js";
import { dedicatedPing, startDatabaseProbe } from "../grpc/database-probe.js";
import { HealthStatus, OVERALL_SERVICE, ServingStatus } from "../grpc/health.js";
import { outboxGauges } from "../mail/outbox-gauges.js";
import { AuthMetrics } from "../metrics/auth-metrics.js";
import { registerScrapeGauges } from "../metrics/scrape-gauges.js";
import { createMail } from "./mail-wiring.js";
import type { OutboxWorker } from "../mail/outbox-worker.js";
import { UserStore } from "../identity/user-store.js";
import { SecurityNotices } from "../notify/security-notices.js";
import { PasswordHasher } from "../password/hasher.js";
import { startRetentionSweeper } from "../retention/sweep-schedule.js";
import { PasskeyAssertions } from "../passkey/passkey-assertions.js";
import { PasskeySignIn } from "../passkey/passkey-sign-in.js";
import { Passkeys } from "../passkey/passkeys.js";
import { SignInPasskeys } from "../passkey/sign-in-passkeys.js";
import { StepUpGrants } from "../passkey/step-up-grants.js";
import { WebAuthnChallenges } from "../passkey/webauthn-challenges.js";
import { SecondFactorCheck } from "../second-factor/second-factor-check.js";
import { SecondFactors } from "../second-factor/second-factors.js";
import { SignInChallenges } from "../second-factor/sign-in-challenges.js";
import { SessionService } from "../session/session-service.js";
import { SessionStore } from "../session/session-store.js";
import { RateLimitStore } from "../throttle/rate-limit-store.js";
import { Throttle } from "../throttle/throttle.js";
import { throttleKeyer } from "../throttle/throttle-key.js";
import { AccessTokens } from "../token/access-token.js";
import { KeyRing } from "../token/key-ring.js";
import { PrismaSigningKeyStore } from "../token/signing-key-store.js";
import { AdapterStore } from "../adapter/adapter-store.js";
import { AdminDirectory } from "../admin/admin-directory.js";
import { RoleAdmin } from "../admin/role-admin.js";
import { AccountStore } from "../user/account-store.js";
import { Accounts } from "../user/accounts.js";
import { EmailChange } from "../user/email-change.js";
import { EmailChangeStore } from "../user/email-change-store.js";
import { SignInMethodStore } from "../user/provider-links.js";
import { Authenticator } from "../session/authenticator.js";
import type { HttpRoute } from "../http/http-routes.js";
import type { Deps } from "../rpc/deps.js";
import { jwksRoute } from "../http/jwks-route.js";
import { readinessRoutes } from "../http/readiness-routes.js";

const KEY_ROTATION_CHECK_MS = 10 * 60 * 1000;

/** Deps plus the background work they started, and the plain HTTP routes they serve. */
export interface Wired {
  deps: Deps;
  httpRoutes: HttpRoute[];
  /** This process's metrics (served on METRICS_ADDRESS by startApp). */
  metrics: AuthMetrics;
  /** Stops background work (timers, workers); the database pool is closed by the caller. */
  stop(): Promise<void>;
}

/**
 * Wires every component from config against a migrated database. With `databaseUrl`, the
 * health probe uses a connection of its own; without it, it goes through `db`'s pool. `pool` is
 * the node-postgres pool under `db`, for hot-path statements sent without Prisma.
 * `poolStats` feeds the database pool gauges (absent: they read 0).
 */
export async function wire(
  config: Config,
  db: PrismaClient,
  logger: Logger,
  opts: { databaseUrl?: string; pool: pg.Pool; poolStats?: () => PoolStats },
): Promise<Wired> {
  const stoppers: (() => Promise<void> | void)[] = [];
  const metrics = new AuthMetrics();

  const keys = new KeyRing(new PrismaSigningKeyStore(db), {
    kek: config.keyEncryptionKey,
    rotationSeconds: config.keyRotationSeconds,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  await keys.rotate();
  const rotation = setInterval(() => {
    keys.rotate().catch((err) => logger.warn({ err: String(err) }, "signing key rotation check failed"));
  }, KEY_ROTATION_CHECK_MS).unref();
  stoppers.push(() => clearInterval(rotation));

  const accessTokens = new AccessTokens(keys, { issuer: config.issuer, audience: config.audience, ttlSeconds: config.accessTokenTtlSeconds });
  const mail = createMail(config, db, logger, { onSendError: () => metrics.outboxSendErrors.inc() });
  const mailSite = { webUrl: config.webUrl, productName: config.productName };
  const notices = new SecurityNotices(mail.mailer, mailSite);
  const sessionStore = new SessionStore(db, opts.pool);
  const sessions = new SessionService(sessionStore, accessTokens, {
    sessionTtlSeconds: config.sessionTtlSeconds,
    refreshGraceSeconds: config.refreshGraceSeconds,
    keyEncryptionKey: config.keyEncryptionKey,
    notices,
  });
  const users = new UserStore(db);
  const hasher = new PasswordHasher();
  const audit = new AuditLog(db);
  const rateLimits = new RateLimitStore(db);
  const throttle = new Throttle(rateLimits, config.rateLimits, throttleKeyer(config.keyEncryptionKey), metrics.throttle);
  const accountRecovery = new AccountRecovery(new RecoveryStore(db, sessionStore), hasher, { site: mailSite, mailer: mail.mailer, throttle, notices });
  const webauthn = { ...config.webauthn, rpName: config.productName };
  const webAuthnChallenges = new WebAuthnChallenges(db);
  const assertions = new PasskeyAssertions(db, webauthn, webAuthnChallenges);
  const stepUpGrants = new StepUpGrants(db, assertions, throttle);
  const secondFactorCheck = new SecondFactorCheck(db, config.keyEncryptionKey, throttle, notices, Date.now, stepUpGrants);
  const accounts = new Accounts(new AccountStore(db, sessionStore, notices), users, hasher, throttle, secondFactorCheck);
  const signInChallenges = new SignInChallenges(db, secondFactorCheck, Date.now, new SignInPasskeys(db, assertions));
  const secondFactors = new SecondFactors(db, accounts, secondFactorCheck, { kek: config.keyEncryptionKey, issuer: config.productName, notices });
  const deps: Deps = {
    config,
    logger,
    db,
    keys,
    accessTokens,
    sessionStore,
    sessions,
    users,
    hasher,
    audit,
    throttle,
    authn: new Authenticator(accessTokens, sessionStore),
    accounts,
    emailChange: new EmailChange(new EmailChangeStore(db, notices), accounts, { site: mailSite, mailer: mail.mailer, throttle }),
    roles: new RoleAdmin(db, users),
    directory: new AdminDirectory(db),
    signInMethods: new SignInMethodStore(db),
    secondFactors,
    signInChallenges,
    passkeys: new Passkeys(db, webauthn, webAuthnChallenges, accounts, secondFactorCheck, notices),
    passkeySignIn: new PasskeySignIn(assertions, sessions, audit, throttle),
    stepUpGrants,
    passwordAuth: new PasswordAuth(users, hasher, sessions, audit, throttle, signInChallenges, {
      inTransaction: (tx, user) => accountRecovery.queueVerification(tx, user),
      afterCommit: () => accountRecovery.nudge(),
    }),
    accountRecovery,
    avatars: new LocalDiskAvatarStorage(config.avatarDir),
    health: new HealthStatus(),
    mail: mail.worker,
    adapterStore: new AdapterStore(db, config.keyEncryptionKey, sessionStore),
  };
  const httpRoutes: HttpRoute[] = [jwksRoute(keys, logger)];
  httpRoutes.push(avatarRoute(deps.avatars));
  httpRoutes.push(...readinessRoutes(deps.health));
  httpRoutes.push(...mail.httpRoutes);
  mail.worker.start();
  stoppers.push(() => mail.worker.stop());
  // Needs a connection of its own for the sweep lock, hence the URL (every service start has one).
  const { sweepSeconds, batchSize, ...periods } = config.retention;
  if (sweepSeconds > 0 && opts.databaseUrl) {
    stoppers.push(startRetentionSweeper(db, logger, { databaseUrl: opts.databaseUrl, batchSize, ...periods }, sweepSeconds * 1000));
  }
  const probeConnection = opts.databaseUrl ? dedicatedPing(opts.databaseUrl, config.dbProbe.timeoutMs) : undefined;
  const probe = startDatabaseProbe({ ping: probeConnection?.ping ?? (() => db.$queryRaw`SELECT 1`), health: deps.health, logger, ...config.dbProbe });
  stoppers.push(async () => {
    await probe.stop();
    await probeConnection?.close();
  });

  registerScrapeGauges(metrics.registry, {
    outbox: () => outboxGauges(db),
    pool: opts.poolStats ?? (() => ({ total: 0, idle: 0, waiting: 0, max: 0 })),
    argon2InFlight: () => hasher.inFlight,
    keySchedule: () => keys.schedule(),
    keyRotationSeconds: config.keyRotationSeconds,
    serving: () => deps.health.get(OVERALL_SERVICE) === ServingStatus.SERVING,
  });

  return {
    deps,
    httpRoutes,
    metrics,
    async stop() {
      for (const stop of stoppers.reverse()) await stop();
    },
  };
}
