import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Deps } from "../server/deps.js";
import { getJwks } from "./rpc/get-jwks.js";
import { login } from "./rpc/login.js";
import { logout } from "./rpc/logout.js";
import { refresh } from "./rpc/refresh.js";
import { register } from "./rpc/register.js";
import { requestEmailVerification } from "./rpc/request-email-verification.js";
import { requestPasswordReset } from "./rpc/request-password-reset.js";
import { resetPassword } from "./rpc/reset-password.js";
import { verifyEmail } from "./rpc/verify-email.js";

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
