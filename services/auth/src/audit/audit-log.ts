import type { PrismaClient } from "../db/generated/client.js";
import { auditRow, type AuditEventInput } from "./audit-event.js";

/** Records security events that stand alone (those tied to a change share its transaction). */
export class AuditLog {
  constructor(private readonly db: PrismaClient) {}

  async record(event: AuditEventInput): Promise<void> {
    await this.db.auditEvent.create({ data: auditRow(event) });
  }
}
