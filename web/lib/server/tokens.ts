import "server-only";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Tokens } from "../../../gen/tessera/auth/v1/tokens_pb.js";

/** The backend tokens the session cookie carries. */
export interface BackendTokens {
  accessToken: string;
  /** Unix milliseconds. */
  accessExpires: number;
  refreshToken: string;
  sessionId: string;
}

export function backendTokens(t: Tokens | undefined): BackendTokens {
  if (!t?.accessToken || !t.refreshToken || !t.accessTokenExpireTime) throw new Error("the auth service returned no tokens");
  return {
    accessToken: t.accessToken,
    accessExpires: timestampMs(t.accessTokenExpireTime),
    refreshToken: t.refreshToken,
    sessionId: t.sessionId,
  };
}
