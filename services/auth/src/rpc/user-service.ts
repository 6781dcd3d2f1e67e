import type { ServiceImpl } from "@connectrpc/connect";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Deps } from "./deps.js";
import { requireCaller } from "./guard.js";
import { beginTotpEnrollment } from "./user/begin-totp-enrollment.js";
import { beginPasskeyRegistration } from "./user/begin-passkey-registration.js";
import { beginPasskeyStepUp } from "./user/begin-passkey-step-up.js";
import { deletePasskey } from "./user/delete-passkey.js";
import { finishPasskeyRegistration } from "./user/finish-passkey-registration.js";
import { finishPasskeyStepUp } from "./user/finish-passkey-step-up.js";
import { listPasskeys } from "./user/list-passkeys.js";
import { renamePasskey } from "./user/rename-passkey.js";
import { confirmTotpEnrollment } from "./user/confirm-totp-enrollment.js";
import { disableTotp } from "./user/disable-totp.js";
import { regenerateRecoveryCodes } from "./user/regenerate-recovery-codes.js";
import { getSecondFactors } from "./user/get-second-factors.js";
import { removeSecondFactors } from "./user/remove-second-factors.js";
import { changePassword } from "./user/change-password.js";
import { deleteAccount } from "./user/delete-account.js";
import { getMe } from "./user/get-me.js";
import { getUser } from "./user/get-user.js";
import { listAuditEvents } from "./user/list-audit-events.js";
import { listSessions } from "./user/list-sessions.js";
import { listSignInMethods } from "./user/list-sign-in-methods.js";
import { listUsers } from "./user/list-users.js";
import { requestEmailChange } from "./user/request-email-change.js";
import { revokeAllSessions } from "./user/revoke-all-sessions.js";
import { revokeSession } from "./user/revoke-session.js";
import { setUserRole } from "./user/set-user-role.js";
import { unlinkSignInMethod } from "./user/unlink-sign-in-method.js";
import { updateProfile } from "./user/update-profile.js";
import { uploadAvatar } from "./user/upload-avatar.js";

/**
 * UserService's handlers, every one behind requireCaller: each method of the service
 * descriptor verifies the access token and its live session before its handler runs, so no
 * RPC of the service can skip authentication, and handlers read the caller with callerOf(ctx).
 */
export function userServiceImpl(deps: Deps): ServiceImpl<typeof UserService> {
  const handlers: ServiceImpl<typeof UserService> = {
    getMe: getMe(deps),
    getUser: getUser(deps),
    updateProfile: updateProfile(deps),
    uploadAvatar: uploadAvatar(deps),
    changePassword: changePassword(deps),
    listSessions: listSessions(deps),
    revokeSession: revokeSession(deps),
    revokeAllSessions: revokeAllSessions(deps),
    deleteAccount: deleteAccount(deps),
    requestEmailChange: requestEmailChange(deps),
    setUserRole: setUserRole(deps),
    listUsers: listUsers(deps),
    listAuditEvents: listAuditEvents(deps),
    beginTotpEnrollment: beginTotpEnrollment(deps),
    confirmTotpEnrollment: confirmTotpEnrollment(deps),
    disableTotp: disableTotp(deps),
    regenerateRecoveryCodes: regenerateRecoveryCodes(deps),
    getSecondFactors: getSecondFactors(deps),
    removeSecondFactors: removeSecondFactors(deps),
    listSignInMethods: listSignInMethods(deps),
    unlinkSignInMethod: unlinkSignInMethod(deps),
    beginPasskeyRegistration: beginPasskeyRegistration(deps),
    finishPasskeyRegistration: finishPasskeyRegistration(deps),
    listPasskeys: listPasskeys(deps),
    renamePasskey: renamePasskey(deps),
    deletePasskey: deletePasskey(deps),
    beginPasskeyStepUp: beginPasskeyStepUp(deps),
    finishPasskeyStepUp: finishPasskeyStepUp(deps),
  };
  return requireCaller(UserService, handlers, deps.authn);
}
