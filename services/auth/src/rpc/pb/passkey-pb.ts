import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { PasskeySchema, type Passkey } from "../../../../../gen/tessera/user/v1/passkey_pb.js";
import type { PasskeyRow } from "../../passkey/passkey-assertions.js";

/** A stored passkey as a tessera.user.v1.Passkey (never its credential id or public key). */
export function passkeyToPb(p: PasskeyRow): Passkey {
  return create(PasskeySchema, {
    id: p.id,
    name: p.name,
    createTime: timestampFromDate(p.createdAt),
    lastUsedTime: p.lastUsedAt ? timestampFromDate(p.lastUsedAt) : undefined,
    backedUp: p.backedUp,
    transports: p.transports,
  });
}
