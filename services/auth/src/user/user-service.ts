import type { ServiceImpl } from "@connectrpc/connect";
import type { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Deps } from "../server/deps.js";
import { changePassword } from "./rpc/change-password.js";
import { deleteAccount } from "./rpc/delete-account.js";
import { getMe } from "./rpc/get-me.js";
import { getUser } from "./rpc/get-user.js";
import { listAuditEvents } from "./rpc/list-audit-events.js";
import { listSessions } from "./rpc/list-sessions.js";
import { listSignInMethods } from "./rpc/list-sign-in-methods.js";
import { listUsers } from "./rpc/list-users.js";
import { revokeAllSessions } from "./rpc/revoke-all-sessions.js";
import { revokeSession } from "./rpc/revoke-session.js";
import { unlinkSignInMethod } from "./rpc/unlink-sign-in-method.js";
import { updateProfile } from "./rpc/update-profile.js";
import { uploadAvatar } from "./rpc/upload-avatar.js";

/** UserService's handlers. Each authenticates its caller first (deps.authn.caller). */
export function userServiceImpl(deps: Deps): Partial<ServiceImpl<typeof UserService>> {
  return {
    getMe: getMe(deps),
    getUser: getUser(deps),
    updateProfile: updateProfile(deps),
    uploadAvatar: uploadAvatar(deps),
    changePassword: changePassword(deps),
    listSessions: listSessions(deps),
    revokeSession: revokeSession(deps),
    revokeAllSessions: revokeAllSessions(deps),
    deleteAccount: deleteAccount(deps),
    listUsers: listUsers(deps),
    listAuditEvents: listAuditEvents(deps),
    listSignInMethods: listSignInMethods(deps),
    unlinkSignInMethod: unlinkSignInMethod(deps),
  };
}
