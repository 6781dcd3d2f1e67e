import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { IssueTokensRequest, IssueTokensResponseSchema } from "../../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { tokensToPb } from "../pb/tokens-pb.js";
import type { Deps } from "../deps.js";
import { USER_AGENT_MAX, ipAddress, text, userId } from "./fields.js";

/**
 * AdapterService.IssueTokens: starts a Tessera session for a user NextAuth has signed in with
 * an OAuth provider, or, for an account with a second factor, answers with the challenge of the
 * second step. The device info comes from the request fields, not the connection (that is the
 * Next.js server); they are trusted because the caller holds the service credential.
 */
export function issueTokens({ sessions, signInChallenges }: Deps) {
  return async (req: IssueTokensRequest): Promise<MessageInitShape<typeof IssueTokensResponseSchema>> => {
    const id = userId(req.userId, "user_id");
    const client = {
      userAgent: text(req.clientUserAgent, "client_user_agent", USER_AGENT_MAX, { optional: true }),
      ipAddress: ipAddress(req.clientIpAddress, "client_ip_address"),
    };
    const challenge = await signInChallenges.gate(id, "oauth", req.secondFactorCapable);
    if (challenge) {
      const { token, expiresAt, methods, passkeyOptionsJson } = challenge;
      return { secondFactorChallenge: { token, expireTime: timestampFromDate(expiresAt), methods, passkeyOptionsJson } };
    }
    const { tokens } = await sessions.start({ id }, client, [{ type: "SIGN_IN_SUCCEEDED", data: { method: "oauth" } }]);
    return { tokens: tokensToPb(tokens) };
  };
}
