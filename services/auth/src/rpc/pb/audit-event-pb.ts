import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AuditEventSchema, AuditEventType as PbType, type AuditEvent } from "../../../../../gen/tessera/user/v1/audit_event_pb.js";
import type { AuditEventType } from "../../audit/audit-event.js";
import type { AuditEventRecord } from "../../admin/admin-directory.js";

/** Stored name of every proto AuditEventType but UNSPECIFIED (the names match, without the prefix). */
const STORED: Record<Exclude<PbType, PbType.UNSPECIFIED>, AuditEventType> = {
  [PbType.SIGN_IN_SUCCEEDED]: "SIGN_IN_SUCCEEDED",
  [PbType.SIGN_IN_FAILED]: "SIGN_IN_FAILED",
  [PbType.REFRESH_TOKEN_REUSED]: "REFRESH_TOKEN_REUSED",
  [PbType.PASSWORD_RESET_REQUESTED]: "PASSWORD_RESET_REQUESTED",
  [PbType.PASSWORD_RESET]: "PASSWORD_RESET",
  [PbType.PASSWORD_CHANGED]: "PASSWORD_CHANGED",
  [PbType.EMAIL_VERIFIED]: "EMAIL_VERIFIED",
  [PbType.SESSION_REVOKED]: "SESSION_REVOKED",
  [PbType.ACCOUNT_DELETED]: "ACCOUNT_DELETED",
  [PbType.ROLE_CHANGED]: "ROLE_CHANGED",
  [PbType.USER_REGISTERED]: "USER_REGISTERED",
  [PbType.ACCOUNT_UNLINKED]: "ACCOUNT_UNLINKED",
  [PbType.EMAIL_CHANGE_REQUESTED]: "EMAIL_CHANGE_REQUESTED",
  [PbType.EMAIL_CHANGED]: "EMAIL_CHANGED",
  [PbType.SECOND_FACTOR_ENABLED]: "SECOND_FACTOR_ENABLED",
  [PbType.SECOND_FACTOR_DISABLED]: "SECOND_FACTOR_DISABLED",
  [PbType.RECOVERY_CODE_USED]: "RECOVERY_CODE_USED",
  [PbType.RECOVERY_CODES_REGENERATED]: "RECOVERY_CODES_REGENERATED",
  [PbType.PASSKEY_ADDED]: "PASSKEY_ADDED",
  [PbType.PASSKEY_REMOVED]: "PASSKEY_REMOVED",
};

const PB_BY_STORED = new Map<string, PbType>(Object.entries(STORED).map(([pb, name]) => [name, Number(pb) as PbType]));

/** The stored name for a proto type; null for UNSPECIFIED; undefined for a value this build does not know. */
export function storedAuditType(type: PbType): AuditEventType | null | undefined {
  if (type === PbType.UNSPECIFIED) return null;
  return STORED[type as Exclude<PbType, PbType.UNSPECIFIED>];
}

/** One stored audit row as a tessera.user.v1.AuditEvent (its `data` is not part of the contract). */
export function auditEventToPb(row: AuditEventRecord): AuditEvent {
  return create(AuditEventSchema, {
    id: row.id,
    type: PB_BY_STORED.get(row.type) ?? PbType.UNSPECIFIED,
    userId: row.userId ?? "",
    sessionId: row.sessionId ?? "",
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    createTime: timestampFromDate(row.createdAt),
    actorUserId: row.actorUserId ?? "",
  });
}
