// The fields the account page's profile form edits, shared by the form (browser) and its server
// action: each input's name and the UpdateProfile update_mask path it writes. Values travel as
// the text the inputs hold; a number field's "" means not set (0 in the contract).
import { PROFILE_FIELDS } from "./profile-fields";

export const PROFILE_INPUTS = [{ name: "name", path: "name" }, ...PROFILE_FIELDS.map((f) => ({ name: f.key, path: f.path }))] as const;

export type ProfileInput = (typeof PROFILE_INPUTS)[number]["name"];

/** The editable fields as the auth service stores them, and `version`: their update time in microseconds. */
export type ProfileValues = Record<ProfileInput, string> & { version: number };

/** The more recently stored of two snapshots of the same account. */
export function newer(a: ProfileValues, b: ProfileValues | undefined): ProfileValues {
  return b && b.version > a.version ? b : a;
}

/** The hidden form field holding the ProfileValues the form was showing, as JSON. */
export const SHOWN_FIELD = "shown";

/** The ProfileValues a form said it showed, or undefined when the field is missing or malformed. */
export function parseShown(json: string): ProfileValues | undefined {
  try {
    const v = JSON.parse(json) as Record<string, unknown>;
    const ok = typeof v.version === "number" && PROFILE_INPUTS.every(({ name }) => typeof v[name] === "string");
    return ok ? (v as ProfileValues) : undefined;
  } catch {
    return undefined;
  }
}
