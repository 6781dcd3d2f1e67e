import type { ClientInfo } from "../kernel/client-info.js";

/** Security event types, stored by name; they match tessera.user.v1.AuditEventType. */
export type AuditEventType =
  | "SIGN_IN_SUCCEEDED"
  | "SIGN_IN_FAILED"
  | "REFRESH_TOKEN_REUSED"
  | "PASSWORD_RESET_REQUESTED"
  | "PASSWORD_RESET"
  | "PASSWORD_CHANGED"
  | "EMAIL_VERIFIED"
  | "SESSION_REVOKED"
  | "ACCOUNT_DELETED"
  | "ROLE_CHANGED"
  | "USER_REGISTERED"
  /** A provider link was removed: data {provider, linkId, reason: "mailbox_proven" | "user_request"}. */
  | "ACCOUNT_UNLINKED"
  /** A link to confirm a new address was mailed (data {newAddressTaken}: true when a notice went instead). */
  | "EMAIL_CHANGE_REQUESTED"
  /** The account moved to a confirmed new address. */
  | "EMAIL_CHANGED"
  /** An authenticator app was confirmed (data {method: "totp"}). */
  | "SECOND_FACTOR_ENABLED"
  /** The authenticator and recovery codes were removed (actorUserId set when an admin did it). */
  | "SECOND_FACTOR_DISABLED"
  /** A recovery code was spent (data {remaining, purpose: "sign_in" | "step_up"}). */
  | "RECOVERY_CODE_USED"
  | "RECOVERY_CODES_REGENERATED"
  /** A passkey was registered (data {passkeyId}). */
  | "PASSKEY_ADDED"
  /** A passkey was deleted by its owner (data {passkeyId}). */
  | "PASSKEY_REMOVED";

/** One security event to record. Never put a secret in `data`. */
export interface AuditEventInput {
  type: AuditEventType;
  userId?: string | null;
  sessionId?: string | null;
  /** The admin who acted on userId's account; null when the user acted themself or no user acted. */
  actorUserId?: string | null;
  client: ClientInfo;
  data?: Record<string, string | number | boolean>;
}

/** The Prisma create input for an audit event. */
export function auditRow(e: AuditEventInput) {
  return {
    type: e.type,
    userId: e.userId ?? null,
    sessionId: e.sessionId ?? null,
    actorUserId: e.actorUserId ?? null,
    ipAddress: e.client.ipAddress,
    userAgent: e.client.userAgent,
    data: e.data ?? {},
  };
}
