import type { UpdateProfileRequest } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { create } from "@bufbuild/protobuf";
import { ProfileSchema } from "../../../../gen/tessera/user/v1/user_pb.js";
import {
  EMPLOYEES_MAX,
  FOUNDED_YEAR_MIN,
  NAME_MAX,
  PROFILE_LIMITS,
  PROFILE_STRING_MAX,
  PROFILE_TEXT_MAX,
  URL_MAX,
  type ProfileFieldKind,
  type ProfileKey,
} from "../../../shared/contract-limits.js";
import { invalidArgument } from "../kernel/errors.js";
import { parseLocale, type Locale } from "../kernel/locale.js";

/** How one profile field is checked: its proto name and its rule. */
interface ProfileFieldRule {
  proto: string;
  kind: ProfileFieldKind;
}

/**
 * Every Profile field by its stored (camelCase) key, which is also the generated message's
 * property name, with the proto (snake_case) name used in update masks and error fields, and
 * its rule from the contract's limits.
 */
export const PROFILE_FIELDS = Object.fromEntries(
  ProfileSchema.fields.map((f) => [f.localName, { proto: f.name, kind: PROFILE_LIMITS[f.localName as ProfileKey].kind }]),
) as Record<ProfileKey, ProfileFieldRule>;

const PROFILE_KEY_BY_PROTO = new Map(
  (Object.entries(PROFILE_FIELDS) as [ProfileKey, ProfileFieldRule][]).map(([key, rule]) => [rule.proto, key]),
);

/**
 * A validated change to an account. `undefined` leaves a column alone, `null` clears it.
 * Profile keys map to a new value, or to null to remove the key ("not set").
 */
export interface ProfilePatch {
  name?: string | null;
  image?: string | null;
  locale?: Locale;
  profile?: Partial<Record<ProfileKey, string | number | null>>;
}

/**
 * Turns an UpdateProfileRequest into a patch: only the fields its update_mask names, each
 * checked against the limits in user.proto. Throws INVALID_ARGUMENT naming the field at fault
 * (proto path, e.g. "profile.website"), or "update_mask" for an empty mask or unknown path.
 */
export function profilePatchFrom(req: UpdateProfileRequest, now = new Date()): ProfilePatch {
  const paths = req.updateMask?.paths ?? [];
  if (paths.length === 0) throw invalidArgument("update_mask", 'is required: list the fields to change, e.g. "name" or "profile.country"');
  const patch: ProfilePatch = {};
  const profile = req.profile;
  const setProfileField = (key: ProfileKey) => {
    patch.profile ??= {};
    const raw = profile ? profile[key] : PROFILE_DEFAULTS[key];
    patch.profile[key] = checkProfileField(key, raw, now);
  };
  for (const path of paths) {
    if (path === "name") {
      patch.name = emptyToNull(checkText(req.name, "name", NAME_MAX));
    } else if (path === "image") {
      patch.image = emptyToNull(checkUrl(req.image, "image", ["https:"]));
    } else if (path === "locale") {
      patch.locale = parseLocale(req.locale, "locale");
    } else if (path === "profile") {
      for (const key of Object.keys(PROFILE_FIELDS) as ProfileKey[]) setProfileField(key);
    } else if (path.startsWith("profile.") && PROFILE_KEY_BY_PROTO.has(path.slice("profile.".length))) {
      setProfileField(PROFILE_KEY_BY_PROTO.get(path.slice("profile.".length))!);
    } else {
      throw invalidArgument(
        "update_mask",
        `unknown path ${JSON.stringify(path.slice(0, 100))}; use "name", "image", "locale", "profile" or "profile.<field>" (e.g. "profile.company_name")`,
      );
    }
  }
  return patch;
}

/** A Profile with every field at its zero value, as the contract defines it (a field masked but absent clears it). */
const PROFILE_DEFAULTS = create(ProfileSchema);

/** A checked profile value, or null for "not set" (empty string, 0). */
function checkProfileField(key: ProfileKey, value: string | number, now: Date): string | number | null {
  const rule = PROFILE_FIELDS[key];
  const field = `profile.${rule.proto}`;
  switch (rule.kind) {
    case "string":
      return emptyToNull(checkText(value as string, field, PROFILE_STRING_MAX));
    case "text":
      return emptyToNull(checkText(value as string, field, PROFILE_TEXT_MAX));
    case "website":
      return emptyToNull(checkUrl(value as string, field, ["http:", "https:"]));
    case "year": {
      const year = value as number;
      if (year === 0) return null;
      const max = now.getUTCFullYear();
      if (!Number.isInteger(year) || year < FOUNDED_YEAR_MIN || year > max) {
        throw invalidArgument(field, `must be a year between ${FOUNDED_YEAR_MIN} and ${max}, or 0 to clear it`);
      }
      return year;
    }
    case "employees": {
      const n = value as number;
      if (!Number.isInteger(n) || n < 0 || n > EMPLOYEES_MAX) throw invalidArgument(field, `must be between 0 and ${EMPLOYEES_MAX}`);
      return n === 0 ? null : n;
    }
  }
}

/** A free-text value: at most `max` code points and no NUL character. */
function checkText(value: string, field: string, max: number): string {
  if (value.includes("\u0000")) throw invalidArgument(field, "must not contain NUL characters");
  if (value.length > max && [...value].length > max) throw invalidArgument(field, `must be at most ${max} characters`);
  return value;
}

/** An absolute URL with one of `protocols` and a host, at most URL_MAX characters; "" allowed. */
function checkUrl(value: string, field: string, protocols: string[]): string {
  if (value === "") return value;
  checkText(value, field, URL_MAX);
  const wanted = protocols.map((p) => p.slice(0, -1)).join(" or ");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(field, `must be an absolute ${wanted} URL`);
  }
  if (!protocols.includes(url.protocol) || !url.hostname) throw invalidArgument(field, `must be an absolute ${wanted} URL`);
  if (/\s/.test(value)) throw invalidArgument(field, "must not contain spaces");
  return value;
}

function emptyToNull(value: string): string | null {
  return value === "" ? null : value;
}
