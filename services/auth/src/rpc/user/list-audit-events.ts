import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListAuditEventsRequest, ListAuditEventsResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { auditEventToPb, storedAuditType } from "../pb/audit-event-pb.js";
import { decodePageToken, pageSizeOf } from "../../admin/page-token.js";
import { invalidArgument, requireString } from "../../server/errors.js";
import type { Deps } from "../../server/deps.js";
import { requireAdmin } from "../../user/accounts.js";

/** UserService.ListAuditEvents (admins only): security events, newest first, by pages. */
export function listAuditEvents({ authn, directory }: Deps) {
  return async (req: ListAuditEventsRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListAuditEventsResponseSchema>> => {
    requireAdmin(await authn.caller(ctx));
    const pageSize = pageSizeOf(req.pageSize);
    const before = decodePageToken(req.pageToken);
    const userId = requireString(req.userId, "user_id", 64, { optional: true });
    const type = storedAuditType(req.type);
    if (type === undefined) throw invalidArgument("type", "is not a known AuditEventType");
    const page = await directory.listAuditEvents({ pageSize, before, userId, type });
    return { events: page.items.map(auditEventToPb), nextPageToken: page.nextPageToken };
  };
}
