import { invalidArgument } from "../../kernel/errors.js";
import { isBadText, requireString } from "../../kernel/text.js";
import { PASSKEY_NAME_MAX_LENGTH } from "../../passkey/webauthn-config.js";

/** A passkey label: at most 64 characters of valid text (no NUL, no unpaired surrogate). */
export function passkeyName(value: string, opts: { optional?: boolean } = {}): string {
  requireString(value.trim(), "name", PASSKEY_NAME_MAX_LENGTH, opts);
  if (isBadText(value)) throw invalidArgument("name", "must be valid text");
  return value;
}

/** Passkey.id: present, at most 64 characters. */
export function passkeyId(value: string): string {
  return requireString(value, "passkey_id", 64);
}
