import type { ServiceImpl } from "@connectrpc/connect";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import type { Deps } from "./deps.js";
import { createSession } from "./adapter/create-session.js";
import { createUser } from "./adapter/create-user.js";
import { createVerificationToken } from "./adapter/create-verification-token.js";
import { deleteSession } from "./adapter/delete-session.js";
import { deleteUser } from "./adapter/delete-user.js";
import { getSessionAndUser } from "./adapter/get-session-and-user.js";
import { getUserByAccount } from "./adapter/get-user-by-account.js";
import { getUserByEmail } from "./adapter/get-user-by-email.js";
import { getUser } from "./adapter/get-user.js";
import { issueTokens } from "./adapter/issue-tokens.js";
import { linkAccount } from "./adapter/link-account.js";
import { unlinkAccount } from "./adapter/unlink-account.js";
import { updateSession } from "./adapter/update-session.js";
import { updateUser } from "./adapter/update-user.js";
import { useVerificationToken } from "./adapter/use-verification-token.js";
import { requireServiceCredential } from "./guard.js";

/**
 * AdapterService's handlers (next-auth v4's Adapter for the Next.js server), every one behind
 * the service credential: the whole implementation is wrapped, method by method of the
 * service descriptor, so no RPC can skip the check.
 */
export function adapterServiceImpl(deps: Deps): ServiceImpl<typeof AdapterService> {
  const handlers: ServiceImpl<typeof AdapterService> = {
    createUser: createUser(deps),
    getUser: getUser(deps),
    getUserByEmail: getUserByEmail(deps),
    getUserByAccount: getUserByAccount(deps),
    updateUser: updateUser(deps),
    deleteUser: deleteUser(deps),
    linkAccount: linkAccount(deps),
    unlinkAccount: unlinkAccount(deps),
    createSession: createSession(deps),
    getSessionAndUser: getSessionAndUser(deps),
    updateSession: updateSession(deps),
    deleteSession: deleteSession(deps),
    createVerificationToken: createVerificationToken(deps),
    useVerificationToken: useVerificationToken(deps),
    issueTokens: issueTokens(deps),
  };
  return requireServiceCredential(AdapterService, handlers, deps.config.serviceCredential);
}
