import { isIP } from "node:net";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { EMAIL_MAX_LENGTH, normalizeEmail } from "../../identity/email.js";
import { invalidArgument } from "../../kernel/errors.js";
import { requireString } from "../../kernel/text.js";
import { NAME_MAX as USER_NAME_MAX, URL_MAX } from "../../../../shared/contract-limits.js";

/** Limits from proto/tessera/adapter/v1, in Unicode code points (name and image are the User's). */
export const ID_MAX = 64;
export const NAME_MAX = USER_NAME_MAX;
export const IMAGE_MAX = URL_MAX;
export const PROVIDER_MAX = 64;
export const PROVIDER_ACCOUNT_ID_MAX = 255;
export const SECRET_MAX = 255;
export const IDENTIFIER_MAX = EMAIL_MAX_LENGTH;
export const USER_AGENT_MAX = 512;
/** Optional provider token fields have no limit of their own; the 64 KiB request cap bounds them. */
export const PROVIDER_FIELD_MAX = 16 * 1024;
export const ACCOUNT_TYPES = ["oauth", "oidc", "email", "credentials"] as const;

/**
 * A string that is stored or looked up: present unless optional, at most `max` code points,
 * and without NUL (PostgreSQL text cannot hold it, so it would otherwise fail as INTERNAL).
 */
export function text(value: string, field: string, max: number, opts: { optional?: boolean } = {}): string {
  requireString(value, field, max, opts);
  if (value.includes("\0")) throw invalidArgument(field, "must not contain NUL characters");
  return value;
}

/** An optional string field: undefined stays undefined, "" becomes null (none). */
export function optionalText(value: string | undefined, field: string, max: number): string | null | undefined {
  if (value === undefined) return undefined;
  return value === "" ? null : text(value, field, max, { optional: true });
}

/** A user id: required, at most 64 characters. */
export function userId(value: string, field: string): string {
  return text(value, field, ID_MAX);
}

/** An address to store: required and valid; returned normalised. */
export function emailToStore(value: string, field: string): string {
  text(value.trim(), field, EMAIL_MAX_LENGTH);
  const email = normalizeEmail(value);
  if (!email) throw invalidArgument(field, "must be a valid email address");
  return email;
}

/** An avatar URL: an absolute http(s) URL of at most 2048 characters; "" means none. */
export function imageUrl(value: string | undefined, field: string): string | null | undefined {
  const image = optionalText(value, field, IMAGE_MAX);
  if (!image) return image;
  let url: URL | null = null;
  try {
    url = new URL(image);
  } catch {
    // refused below
  }
  if (!url || !["http:", "https:"].includes(url.protocol) || !url.hostname || /\s/.test(image)) {
    throw invalidArgument(field, "must be an absolute http or https URL");
  }
  return image;
}

// PostgreSQL's timestamp(3) and JavaScript's Date agree on this range; beyond it a value
// would fail in the database as INTERNAL.
// Not Date.UTC(1, 0, 1): Date.UTC maps years 0-99 to 1900-1999, which refused 1 to 1900.
const EARLIEST = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** A required timestamp as a Date. */
export function requiredTime(value: Timestamp | undefined, field: string): Date {
  const date = optionalTime(value, field);
  if (!date) throw invalidArgument(field, "is required");
  return date;
}

/** An optional timestamp as a Date; undefined when unset. */
export function optionalTime(value: Timestamp | undefined, field: string): Date | undefined {
  if (!value) return undefined;
  // Truncated to the column's precision (milliseconds) BEFORE the range check, and the Date is
  // built from that same value: timestampDate() rounds the nanos, so 9999-12-31T23:59:59.9995Z
  // passed the check and was stored as year 10000, which no later read could parse.
  const ms = Number(value.seconds) * 1000 + Math.floor(value.nanos / 1_000_000);
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > LATEST || value.nanos < 0 || value.nanos > 999_999_999) {
    throw invalidArgument(field, "must be a timestamp between the years 1 and 9999");
  }
  return new Date(ms);
}

/** The browser's IP address as NextAuth saw it: a plain IPv4 or IPv6 address, or "" when unknown. */
export function ipAddress(value: string, field: string): string {
  if (value === "") return value;
  text(value, field, 64);
  const ip = value.startsWith("::ffff:") && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
  if (isIP(ip) === 0) throw invalidArgument(field, "must be an IPv4 or IPv6 address");
  return ip;
}
