import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { TokensSchema, type Tokens } from "../../../../../gen/tessera/auth/v1/tokens_pb.js";
import type { IssuedTokens } from "../../session/session-service.js";

/** Maps issued tokens to the tessera.auth.v1.Tokens message. */
export function tokensToPb(t: IssuedTokens): Tokens {
  return create(TokensSchema, {
    accessToken: t.accessToken,
    accessTokenExpireTime: timestampFromDate(t.accessTokenExpiresAt),
    refreshToken: t.refreshToken,
    refreshTokenExpireTime: timestampFromDate(t.refreshTokenExpiresAt),
    tokenType: "Bearer",
    sessionId: t.sessionId,
  });
}
