import type { Prisma } from "../db/generated/client.js";

/** How long a device is remembered: a User-Agent not seen for this long signs in as new again. */
export const DEVICE_MEMORY_DAYS = 90;

/**
 * Whether session `sessionId` (just created, in `tx`) is a sign-in from a new device.
 *
 * The rule, kept simple on purpose: a device is its User-Agent string, exactly as sent. A
 * sign-in is from a new device when the user has signed in before (any earlier session, live
 * or ended) but never with this User-Agent in the last DEVICE_MEMORY_DAYS. The account's very
 * first session (Register, or a first OAuth sign-in) is therefore never "new": there is no
 * familiar device to compare it with. The client address is not part of a device: addresses
 * change with every network, and mail on each would teach people to ignore it.
 */
export async function isNewDevice(tx: Prisma.TransactionClient, input: { userId: string; sessionId: string; userAgent: string; now: Date }): Promise<boolean> {
  const since = new Date(input.now.getTime() - DEVICE_MEMORY_DAYS * 86_400_000);
  const [row] = await tx.$queryRaw<{ before: boolean; seen: boolean }[]>`
    SELECT count(*) > 0 AS before,
           coalesce(bool_or("userAgent" = ${input.userAgent} AND "createdAt" > ${since}), false) AS seen
    FROM "Session" WHERE "userId" = ${input.userId} AND id <> ${input.sessionId}`;
  return row!.before && !row!.seen;
}
