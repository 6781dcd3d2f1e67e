import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListAuditEventsRequest, ListAuditEventsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { auditEventToPb, storedAuditType } from "../pb/audit-event-pb.js";
import { decodePageToken, pageSizeOf } from "../../admin/page-token.js";
import { invalidArgument } from "../../kernel/errors.js";
import { requireString } from "../../kernel/text.js";
import type { Deps } from "../deps.js";
import { requireAdmin } from "../../user/accounts.js";
import { callerOf } from "../context.js";

/** UserService.ListAuditEvents (admins only): security events, newest first, by pages. */
export function listAuditEvents({ directory }: Deps) {
  return async (req: ListAuditEventsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListAuditEventsResponseSchema>> => {
    requireAdmin(callerOf(ctx));
    const pageSize = pageSizeOf(req.pageSize);
    const before = decodePageToken(req.pageToken);
    const userId = requireString(req.userId, "user_id", 64, { optional: true });
    const type = storedAuditType(req.type);
    if (type === undefined) throw invalidArgument("type", "is not a known AuditEventType");
    const page = await directory.listAuditEvents({ pageSize, before, userId, type });
    return { events: page.items.map(auditEventToPb), nextPageToken: page.nextPageToken };
  };
}
