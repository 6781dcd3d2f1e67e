import { fileTypeFromBuffer } from "file-type";
import type { AvatarContentType } from "./avatar-storage.js";
import { avatarContentType } from "./avatar-storage.js";

export { AVATAR_MAX_BYTES } from "../../../shared/contract-limits.js";

/**
 * The transport read limit of UploadAvatar alone (every other RPC keeps READ_MAX_BYTES). It is
 * above AVATAR_MAX_BYTES so that an image somewhat too large still reaches the handler and gets
 * INVALID_ARGUMENT (field "image") as the contract says, also in the Connect JSON encoding,
 * where bytes travel as base64 (4/3 of their size: a 2 MiB image is about 2.7 MiB of JSON).
 * Requests beyond it are refused by Connect with RESOURCE_EXHAUSTED before the handler runs.
 */
export const UPLOAD_AVATAR_READ_MAX_BYTES = 3 * 1024 * 1024;

/**
 * The avatar type of an image, read from its bytes (magic numbers, never a name or a declared
 * type), or null when it is not a PNG, JPEG or WebP. An animated PNG is a PNG.
 */
export async function detectAvatarType(bytes: Uint8Array): Promise<AvatarContentType | null> {
  const detected = await fileTypeFromBuffer(bytes);
  switch (detected?.mime) {
    case "image/png":
    case "image/apng":
      return "image/png";
    case "image/jpeg":
      return "image/jpeg";
    case "image/webp":
      return "image/webp";
    default:
      return null;
  }
}

/** The public URL of the avatar stored under `key`. */
export function avatarUrl(publicUrl: string, key: string): string {
  return `${publicUrl}/avatars/${key}`;
}

/** The key of one of our avatar URLs, or null for any other URL (external images, typos). */
export function avatarKeyOf(publicUrl: string, url: string | null | undefined): string | null {
  const prefix = `${publicUrl}/avatars/`;
  if (!url?.startsWith(prefix)) return null;
  const key = url.slice(prefix.length);
  return avatarContentType(key) === null ? null : key;
}
