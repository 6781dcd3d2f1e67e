import type { ServiceImpl } from "@connectrpc/connect";
import type { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Deps } from "../server/deps.js";
import { getJwks } from "./rpc/get-jwks.js";
import { login } from "./rpc/login.js";
import { logout } from "./rpc/logout.js";
import { refresh } from "./rpc/refresh.js";
import { register } from "./rpc/register.js";

/**
 * AuthService's handlers. RPCs not listed (password reset, email verification) answer
 * UNIMPLEMENTED until their issue lands.
 */
export function authServiceImpl(deps: Deps): Partial<ServiceImpl<typeof AuthService>> {
  return {
    register: register(deps),
    login: login(deps),
    refresh: refresh(deps),
    logout: logout(deps),
    getJwks: getJwks(deps),
  };
}
