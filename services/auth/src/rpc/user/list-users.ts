import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListUsersRequest, ListUsersResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { decodePageToken, pageSizeOf } from "../../admin/page-token.js";
import { EMAIL_MAX_LENGTH } from "../../identity/email.js";
import { userToPb } from "../pb/user-pb.js";
import { requireString } from "../../kernel/text.js";
import type { Deps } from "../deps.js";
import { requireAdmin } from "../../user/accounts.js";
import { callerOf } from "../context.js";

/** UserService.ListUsers (admins only): every account, oldest first, by pages. */
export function listUsers({ directory }: Deps) {
  return async (req: ListUsersRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof ListUsersResponseSchema>> => {
    requireAdmin(callerOf(ctx));
    const pageSize = pageSizeOf(req.pageSize);
    const after = decodePageToken(req.pageToken);
    // Stored emails are trimmed, lower case and NFC: compare the prefix the same way.
    const emailPrefix = requireString(req.emailPrefix, "email_prefix", EMAIL_MAX_LENGTH, { optional: true }).trim().toLowerCase().normalize("NFC");
    const page = await directory.listUsers({ pageSize, after, emailPrefix });
    return { users: page.items.map(userToPb), nextPageToken: page.nextPageToken };
  };
}
