import type { HandlerContext } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { SetUserRoleRequest, SetUserRoleResponseSchema } from "../../../../../gen/tessera/user/v1/user_service_pb.js";
import { Role } from "../../../../../gen/tessera/user/v1/user_pb.js";
import { invalidArgument } from "../../kernel/errors.js";
import { requireString } from "../../kernel/text.js";
import { userToPb } from "../pb/user-pb.js";
import { callerOf, clientInfo } from "../context.js";
import type { Deps } from "../deps.js";

const ROLE_NAMES = { [Role.USER]: "USER", [Role.ADMIN]: "ADMIN" } as const;

/** UserService.SetUserRole (admins only): grants or removes the admin role, never the last admin's. */
export function setUserRole({ roles }: Deps) {
  return async (req: SetUserRoleRequest, ctx: HandlerContext): Promise<MessageInitShape<typeof SetUserRoleResponseSchema>> => {
    requireString(req.userId, "user_id", 64);
    const role = req.role === Role.USER || req.role === Role.ADMIN ? ROLE_NAMES[req.role] : undefined;
    if (!role) throw invalidArgument("role", "must be ROLE_USER or ROLE_ADMIN");
    return { user: userToPb(await roles.setUserRole(callerOf(ctx), req.userId, role, clientInfo(ctx))) };
  };
}
