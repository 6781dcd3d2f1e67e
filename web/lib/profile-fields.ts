// Every Profile field of the contract as the account form shows it: the input it gets and the
// contract's limits (services/shared/contract-limits.ts) as the browser's own validation. The
// auth service checks the same limits again; this only saves a round trip.
import { PROFILE_LIMITS, type ProfileKey } from "../../services/shared/contract-limits";

export type ProfileFieldInput =
  | { type: "text" | "url" | "textarea"; maxLength: number }
  | { type: "number"; min: number; max: number };

export interface ProfileField {
  key: ProfileKey;
  /** UpdateProfile's update_mask path. */
  path: string;
  input: ProfileFieldInput;
  autoComplete?: string;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const AUTOCOMPLETE: Partial<Record<ProfileKey, string>> = { companyName: "organization", country: "country-name", website: "url" };

/** The fields in the contract's order (Profile's field numbers). */
export const PROFILE_FIELDS: ProfileField[] = (Object.keys(PROFILE_LIMITS) as ProfileKey[]).map((key) => {
  const limit = PROFILE_LIMITS[key];
  const input: ProfileFieldInput =
    limit.kind === "year"
      ? { type: "number", min: limit.min, max: new Date().getUTCFullYear() }
      : limit.kind === "employees"
        ? { type: "number", min: limit.min, max: limit.max }
        : { type: limit.kind === "text" ? "textarea" : limit.kind === "website" ? "url" : "text", maxLength: limit.maxLength };
  return { key, path: `profile.${snake(key)}`, input, autoComplete: AUTOCOMPLETE[key] };
});

