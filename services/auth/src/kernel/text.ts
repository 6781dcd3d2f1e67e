import { invalidArgument } from "./errors.js";

// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// No `u` flag: the pattern must see UTF-16 code units to find unpaired halves.
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * True when `value` holds NUL or an unpaired UTF-16 surrogate: text PostgreSQL cannot store
 * (NUL) or that is not Unicode at all (node-postgres would store U+FFFD instead).
 */
export function isBadText(value: string): boolean {
  return BAD_TEXT.test(value);
}

/** The length of `value` in Unicode code points, counted only when it could exceed `max`. */
export function exceedsCodePoints(value: string, max: number): boolean {
  return value.length > max && [...value].length > max;
}

/** Checks a string field: present (unless optional) and within a length in code points. */
export function requireString(value: string, field: string, max: number, opts: { optional?: boolean } = {}): string {
  if (!opts.optional && value.length === 0) throw invalidArgument(field, "is required");
  if (exceedsCodePoints(value, max)) throw invalidArgument(field, `must be at most ${max} characters`);
  return value;
}
