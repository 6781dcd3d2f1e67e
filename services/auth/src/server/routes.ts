import type { ConnectRouter } from "@connectrpc/connect";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { adapterServiceImpl } from "../rpc/adapter-service.js";
import { authServiceImpl } from "../rpc/auth-service.js";
import { UPLOAD_AVATAR_READ_MAX_BYTES } from "../avatar/avatar-image.js";
import { registerHealth } from "../grpc/health.js";
import { registerReflection } from "../grpc/reflection.js";
import { userServiceImpl } from "../rpc/user-service.js";
import type { Deps } from "../rpc/deps.js";

/** Every service on the port. AdapterService requires the service credential on every RPC. */
export function routes(deps: Deps) {
  return (router: ConnectRouter) => {
    router.service(AuthService, authServiceImpl(deps));
    const userService = userServiceImpl(deps);
    router.service(UserService, userService);
    // UploadAvatar carries an image of up to 2 MiB, so it alone reads more than READ_MAX_BYTES.
    // Registered after the service, this handler replaces the service's one for the method.
    router.rpc(UserService.method.uploadAvatar, userService.uploadAvatar, { readMaxBytes: UPLOAD_AVATAR_READ_MAX_BYTES });
    router.service(AdapterService, adapterServiceImpl(deps));
    registerHealth(router, deps.health);
    registerReflection(router, [AuthService, UserService, AdapterService]);
  };
}
