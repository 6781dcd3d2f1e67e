// A user as the auth service returns it, reduced to what the profile form shows.
import type { User } from "../../../gen/tessera/user/v1/user_pb.js";
import type { ProfileValues } from "../profile-values";

export function profileValues(user: User): ProfileValues {
  const p = user.profile;
  const t = user.updateTime;
  return {
    name: user.name,
    companyName: p?.companyName ?? "",
    website: p?.website ?? "",
    country: p?.country ?? "",
    about: p?.about ?? "",
    version: t ? Number(t.seconds) * 1e6 + Math.floor(t.nanos / 1e3) : 0,
  };
}
