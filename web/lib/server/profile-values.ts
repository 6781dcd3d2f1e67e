// A user as the auth service returns it, reduced to what the profile form shows.
import type { User } from "../../../gen/tessera/user/v1/user_pb.js";
import { PROFILE_FIELDS } from "../profile-fields";
import type { ProfileValues } from "../profile-values";

export function profileValues(user: User): ProfileValues {
  const p = user.profile;
  const t = user.updateTime;
  const fields = Object.fromEntries(
    PROFILE_FIELDS.map(({ key }) => {
      const v = p?.[key];
      return [key, v === undefined || v === 0 ? "" : String(v)];
    }),
  );
  return {
    name: user.name,
    ...fields,
    version: t ? Number(t.seconds) * 1e6 + Math.floor(t.nanos / 1e3) : 0,
  } as ProfileValues;
}
