/**
 * The field limits the contract states in its comments (proto/tessera/user/v1), written once:
 * the auth service enforces them and the REST gateway describes them. Strings are counted in
 * Unicode code points.
 */
import type { Profile } from "../../gen/tessera/user/v1/user_pb.js";

/** User.name and UpdateProfileRequest.name. */
export const NAME_MAX = 100;
/** A Profile string unless its comment states otherwise. */
export const PROFILE_STRING_MAX = 200;
/** Profile's free-text fields (about, background). */
export const PROFILE_TEXT_MAX = 2000;
/** Any URL field (image, Profile.website). */
export const URL_MAX = 2048;
export const FOUNDED_YEAR_MIN = 1000;
export const EMPLOYEES_MAX = 10_000_000;
/** Longest accepted email address (RFC 5321 path limit less the angle brackets). */
export const EMAIL_MAX_LENGTH = 254;
/** Page sizes of the admin lists: 1..PAGE_SIZE_MAX, 0 meaning PAGE_SIZE_DEFAULT. */
export const PAGE_SIZE_DEFAULT = 50;
export const PAGE_SIZE_MAX = 100;
/** Largest avatar image accepted by UserService.UploadAvatar (2 MiB). */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
/**
 * Longest WebAuthn answer (response_json, passkey_response_json) in bytes: 16 KiB, far above a
 * real one (about 1 KiB with "none" attestation) and below the 64 KiB message limit, so an
 * oversized answer gets its own INVALID_ARGUMENT naming the field.
 */
export const PASSKEY_RESPONSE_MAX_BYTES = 16 * 1024;
/** Passkey.name. */
export const PASSKEY_NAME_MAX = 64;

/** A Profile field: the generated message's property name (camelCase). */
export type ProfileKey = Exclude<keyof Profile, "$typeName" | "$unknown">;

/** How one Profile string field is checked, with its limit. */
export type ProfileStringLimit =
  | { kind: "string"; maxLength: typeof PROFILE_STRING_MAX }
  | { kind: "text"; maxLength: typeof PROFILE_TEXT_MAX }
  | { kind: "website"; maxLength: typeof URL_MAX };

/** How one Profile int32 field is checked, with its range; 0 always means not set. */
export type ProfileIntLimit =
  /** Any value other than 0 lies between `min` and the current year (UTC). */
  | { kind: "year"; min: typeof FOUNDED_YEAR_MIN; max: "current year" }
  | { kind: "employees"; min: 0; max: typeof EMPLOYEES_MAX };

export type ProfileFieldLimit = ProfileStringLimit | ProfileIntLimit;
export type ProfileFieldKind = ProfileFieldLimit["kind"];

/** The rule a field of this generated type can have: a string rule for a string, a range for a number. */
export type ProfileLimitOf<K extends ProfileKey> = Profile[K] extends string
  ? ProfileStringLimit
  : Profile[K] extends number
    ? ProfileIntLimit
    : never;

const string = { kind: "string", maxLength: PROFILE_STRING_MAX } as const;
const text = { kind: "text", maxLength: PROFILE_TEXT_MAX } as const;

/** Every Profile field's rule; a field added to the contract fails the type check until it has one. */
export const PROFILE_LIMITS: { [K in ProfileKey]: ProfileLimitOf<K> } = {
  companyName: string,
  about: text,
  country: string,
  website: { kind: "website", maxLength: URL_MAX },
  region: string,
  industry: string,
  foundedYear: { kind: "year", min: FOUNDED_YEAR_MIN, max: "current year" },
  headquarters: string,
  employeesNumber: { kind: "employees", min: 0, max: EMPLOYEES_MAX },
  annualOperatingBudget: string,
  background: text,
};
