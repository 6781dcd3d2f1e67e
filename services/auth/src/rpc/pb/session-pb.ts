import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { SessionSchema, type Session } from "../../../../../gen/tessera/user/v1/session_pb.js";
import { describeDevice } from "../../session/device.js";
import type { SessionRecord } from "../../user/account-store.js";

/** Maps a live session to tessera.user.v1.Session; `current` marks the caller's own. */
export function sessionToPb(s: SessionRecord, currentSessionId: string): Session {
  const device = describeDevice(s.userAgent);
  return create(SessionSchema, {
    id: s.id,
    userAgent: s.userAgent,
    ipAddress: s.ipAddress,
    createTime: timestampFromDate(s.createdAt),
    lastUsedTime: timestampFromDate(s.lastUsedAt),
    expireTime: timestampFromDate(s.expires),
    current: s.id === currentSessionId,
    browser: device.browser,
    operatingSystem: device.operatingSystem,
  });
}
