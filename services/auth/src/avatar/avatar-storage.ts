import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/** Where avatar images live. Keys are made by newAvatarKey, never taken from user input. */
export interface AvatarStorage {
  /** Stores `bytes` under `key`; readers never see a partly written file. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The image under `key`, or null when there is none or the key is malformed. */
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
  /** Removes the image under `key`; a missing one or a malformed key is not an error. */
  delete(key: string): Promise<void>;
}

/** The image types an avatar may have, with the file extension their keys end in. */
export const AVATAR_TYPES = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
} as const;
export type AvatarContentType = keyof typeof AVATAR_TYPES;

const CONTENT_TYPE_BY_EXT: Record<string, AvatarContentType> = Object.fromEntries(
  Object.entries(AVATAR_TYPES).map(([type, ext]) => [ext, type as AvatarContentType]),
);

/** 128 random bits in hex and the extension of a supported type: nothing else is a key. */
const KEY = /^[0-9a-f]{32}\.(png|jpg|webp)$/;

/** A new, never reused key for an image of `contentType`. */
export function newAvatarKey(contentType: AvatarContentType): string {
  return `${randomBytes(16).toString("hex")}.${AVATAR_TYPES[contentType]}`;
}

/** True for strings shaped like a key from newAvatarKey (so safe as a file name). */
export function isAvatarKey(key: string): boolean {
  return KEY.test(key);
}

/** The content type a key stands for, or null for a malformed key. */
export function avatarContentType(key: string): AvatarContentType | null {
  const m = KEY.exec(key);
  return m ? CONTENT_TYPE_BY_EXT[m[1]!]! : null;
}

/**
 * Avatars as files in one folder, named by their key; the content type is the key's extension,
 * so an image and its type are one file and change together. Writes go to a temporary file in
 * the same folder that is then renamed into place (atomic on one filesystem).
 */
export class LocalDiskAvatarStorage implements AvatarStorage {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly dir: string) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    if (avatarContentType(key) === null) throw new Error(`not an avatar key: ${JSON.stringify(key)}`);
    if (avatarContentType(key) !== contentType) throw new Error(`key ${key} does not match content type ${contentType}`);
    await (this.ready ??= mkdir(this.dir, { recursive: true }).catch((err: unknown) => {
      this.ready = undefined; // retried by the next put
      throw err;
    }));
    const temp = path.join(this.dir, `.tmp-${randomBytes(8).toString("hex")}`);
    try {
      await writeFile(temp, bytes, { flag: "wx", mode: 0o644 });
      await rename(temp, path.join(this.dir, key));
    } catch (err) {
      await unlink(temp).catch(() => {});
      throw err;
    }
  }

  async get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
    const contentType = avatarContentType(key);
    if (contentType === null) return null;
    try {
      return { bytes: await readFile(path.join(this.dir, key)), contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    if (!isAvatarKey(key)) return;
    try {
      await unlink(path.join(this.dir, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }
}
