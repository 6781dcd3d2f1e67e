import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { ProfileSchema, Role, UserSchema, type Profile, type User } from "../../../../../gen/tessera/user/v1/user_pb.js";
import type { UserRecord } from "../../identity/user.js";

/** Maps a domain user to the tessera.user.v1.User message. */
export function userToPb(u: UserRecord): User {
  return create(UserSchema, {
    id: u.id,
    email: u.email,
    emailVerifiedTime: u.emailVerified ? timestampFromDate(u.emailVerified) : undefined,
    name: u.name ?? "",
    image: u.image ?? "",
    role: u.role === "ADMIN" ? Role.ADMIN : Role.USER,
    profile: profileToPb(u.profile),
    createTime: timestampFromDate(u.createdAt),
    updateTime: timestampFromDate(u.updatedAt),
    locale: u.locale,
  });
}

function profileToPb(p: Record<string, unknown>): Profile {
  const str = (k: string) => (typeof p[k] === "string" ? (p[k] as string) : "");
  const int = (k: string) => (typeof p[k] === "number" ? (p[k] as number) : 0);
  return create(ProfileSchema, {
    companyName: str("companyName"),
    about: str("about"),
    country: str("country"),
    website: str("website"),
    region: str("region"),
    industry: str("industry"),
    foundedYear: int("foundedYear"),
    headquarters: str("headquarters"),
    employeesNumber: int("employeesNumber"),
    annualOperatingBudget: str("annualOperatingBudget"),
    background: str("background"),
  });
}
