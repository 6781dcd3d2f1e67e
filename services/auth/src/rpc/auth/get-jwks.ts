import type { MessageInitShape } from "@bufbuild/protobuf";
import type { GetJwksResponseSchema } from "../../../../../gen/tessera/auth/v1/auth_service_pb.js";
import type { Deps } from "../deps.js";

/** AuthService.GetJwks: the published access-token verification keys. */
export function getJwks({ keys }: Deps) {
  return async (): Promise<MessageInitShape<typeof GetJwksResponseSchema>> => {
    const jwks = await keys.publicJwks();
    return {
      keys: jwks.map((k) => ({ kid: k.kid ?? "", kty: k.kty ?? "", crv: k.crv ?? "", x: k.x ?? "", alg: k.alg ?? "", use: k.use ?? "" })),
    };
  };
}
