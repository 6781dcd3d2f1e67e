import type { ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Deps } from "./deps.js";
import { requireCaller } from "./guard.js";
import { beginPasskeySignIn } from "./auth/begin-passkey-sign-in.js";
import { completeSignIn } from "./auth/complete-sign-in.js";
import { finishPasskeySignIn } from "./auth/finish-passkey-sign-in.js";
import { confirmEmailChange } from "./auth/confirm-email-change.js";
import { getJwks } from "./auth/get-jwks.js";
import { login } from "./auth/login.js";
import { logout } from "./auth/logout.js";
import { refresh } from "./auth/refresh.js";
import { register } from "./auth/register.js";
import { requestEmailVerification } from "./auth/request-email-verification.js";
import { requestPasswordReset } from "./auth/request-password-reset.js";
import { resetPassword } from "./auth/reset-password.js";
import { verifyEmail } from "./auth/verify-email.js";

/**
 * AuthService's handlers. They are public (signing in is how a client gets credentials), except
 * RequestEmailVerification, which acts for the signed-in caller and is behind requireCaller.
 */
export function authServiceImpl(deps: Deps): ServiceImpl<typeof AuthService> {
  const handlers: ServiceImpl<typeof AuthService> = {
    register: register(deps),
    login: login(deps),
    completeSignIn: completeSignIn(deps),
    beginPasskeySignIn: beginPasskeySignIn(deps),
    finishPasskeySignIn: finishPasskeySignIn(deps),
    refresh: refresh(deps),
    logout: logout(deps),
    requestPasswordReset: requestPasswordReset(deps),
    resetPassword: resetPassword(deps),
    requestEmailVerification: requestEmailVerification(deps),
    verifyEmail: verifyEmail(deps),
    confirmEmailChange: confirmEmailChange(deps),
    getJwks: getJwks(deps),
  };
  return requireCaller(AuthService, handlers, deps.authn, ["requestEmailVerification"]);
}
