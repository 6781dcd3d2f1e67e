import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Deps } from "../server/deps.js";
import { getJwks } from "./auth/get-jwks.js";
import { login } from "./auth/login.js";
import { logout } from "./auth/logout.js";
import { refresh } from "./auth/refresh.js";
import { register } from "./auth/register.js";
import { requestEmailVerification } from "./auth/request-email-verification.js";
import { requestPasswordReset } from "./auth/request-password-reset.js";
import { resetPassword } from "./auth/reset-password.js";
import { verifyEmail } from "./auth/verify-email.js";

/** AuthService's handlers. */
export function authServiceImpl(deps: Deps): Partial<ServiceImpl<typeof AuthService>> {
  return {
    register: register(deps),
    login: login(deps),
    refresh: refresh(deps),
    logout: logout(deps),
    requestPasswordReset: requestPasswordReset(deps),
    resetPassword: resetPassword(deps),
    requestEmailVerification: requestEmailVerification(deps),
    verifyEmail: verifyEmail(deps),
    getJwks: getJwks(deps),
  };
}
