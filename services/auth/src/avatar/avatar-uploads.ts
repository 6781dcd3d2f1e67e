import type { Logger } from "../config/logger.js";
import type { PrismaClient } from "../db/generated/client.js";
import { USER_FIELDS, toUserRecord } from "../identity/user-store.js";
import type { UserRecord } from "../identity/user.js";
import { avatarKeyOf, avatarUrl } from "./avatar-image.js";
import { newAvatarKey, type AvatarContentType, type AvatarStorage } from "./avatar-storage.js";

/**
 * Stores a checked image as the user's avatar and points User.image at it. Returns the updated
 * user, or null when the account no longer exists (then nothing is left behind).
 *
 * The file is written first under a fresh key, then the row is changed; if that fails the new
 * file is removed. The previous avatar file is removed after the change when it was one of
 * ours and no other account points at it: UpdateProfile accepts any https URL, so someone may
 * have copied another user's avatar URL, and their upload must not delete that user's file.
 * Removal is best effort: a leftover file is unreachable garbage, never a wrong answer.
 */
export async function replaceAvatar(
  deps: { db: PrismaClient; avatars: AvatarStorage; logger: Logger; config: { publicUrl: string } },
  userId: string,
  image: { bytes: Uint8Array; contentType: AvatarContentType },
): Promise<UserRecord | null> {
  const { db, avatars, logger, config } = deps;
  const key = newAvatarKey(image.contentType);
  await avatars.put(key, image.bytes, image.contentType);
  const discard = (k: string) =>
    avatars.delete(k).catch((err: unknown) => logger.warn({ err: String(err), key: k }, "could not remove avatar file"));

  let outcome: { user: UserRecord; orphan: string | null } | null;
  try {
    outcome = await db.$transaction(async (tx) => {
      // Locked so concurrent uploads of one user serialise and each sees the image it replaces.
      const rows = await tx.$queryRaw<{ image: string | null }[]>`SELECT image FROM "User" WHERE id = ${userId} FOR UPDATE`;
      if (rows.length === 0) return null;
      const previous = rows[0]!.image;
      const user = await tx.user.update({ where: { id: userId }, data: { image: avatarUrl(config.publicUrl, key) }, select: USER_FIELDS });
      let orphan = avatarKeyOf(config.publicUrl, previous);
      if (orphan && (await tx.user.findFirst({ where: { image: previous, id: { not: userId } }, select: { id: true } }))) orphan = null;
      return { user: toUserRecord(user), orphan };
    });
  } catch (err) {
    await discard(key);
    throw err;
  }
  if (!outcome) {
    await discard(key);
    return null;
  }
  if (outcome.orphan && outcome.orphan !== key) await discard(outcome.orphan);
  return outcome.user;
}

/**
 * Removes the avatar file behind `previousImage` once no account points at it any more (after
 * an account deletion). Best effort, like replaceAvatar's clean-up.
 */
export async function removeOrphanedAvatar(
  deps: { db: PrismaClient; avatars: AvatarStorage; logger: Logger; config: { publicUrl: string } },
  previousImage: string | null,
): Promise<void> {
  const key = avatarKeyOf(deps.config.publicUrl, previousImage);
  if (!key || (await deps.db.user.findFirst({ where: { image: previousImage }, select: { id: true } }))) return;
  await deps.avatars.delete(key).catch((err: unknown) => deps.logger.warn({ err: String(err), key }, "could not remove avatar file"));
}
