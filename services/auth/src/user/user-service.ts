import type { ServiceImpl } from "@connectrpc/connect";
import type { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import type { Deps } from "../server/deps.js";

/** UserService's handlers; RPCs not listed answer UNIMPLEMENTED. */
export function userServiceImpl(_deps: Deps): Partial<ServiceImpl<typeof UserService>> {
  return {};
}
