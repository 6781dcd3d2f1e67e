import { PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX } from "../../../shared/contract-limits.js";
import { invalidArgument } from "../kernel/errors.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The page size a request asks for, or INVALID_ARGUMENT on field page_size. */
export function pageSizeOf(requested: number): number {
  if (requested === 0) return PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(requested) || requested < 1 || requested > PAGE_SIZE_MAX) {
    throw invalidArgument("page_size", `must be between 1 and ${PAGE_SIZE_MAX}, or 0 for ${PAGE_SIZE_DEFAULT}`);
  }
  return requested;
}

/**
 * An opaque cursor: the base64url of the last row's id. Ids are UUIDv7, so id order is
 * creation order and a cursor stays valid while rows are added or removed.
 */
export function encodePageToken(lastId: string): string {
  return Buffer.from(lastId, "utf8").toString("base64url");
}

/** The id a page token stands for; null for an empty token; INVALID_ARGUMENT (page_token) if malformed. */
export function decodePageToken(token: string): string | null {
  if (token === "") return null;
  const id = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, "base64url").toString("utf8") : "";
  if (!UUID.test(id)) throw invalidArgument("page_token", "is not a token from a previous page; start again with an empty one");
  return id;
}
