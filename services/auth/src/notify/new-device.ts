import type { Prisma } from "../db/generated/client.js";

/** How long a device is remembered: a User-Agent not seen for this long signs in as new again. */
export const DEVICE_MEMORY_DAYS = 90;

/**
 * Whether session `sessionId` (just created, in `tx`) is a sign-in from a new device.
 *
 * The rule, kept simple on purpose: a device is its User-Agent string, exactly as sent. A
 * sign-in is from a new device when the user has signed in before (any earlier session, live
 * or ended) but no session with this User-Agent was used in the last DEVICE_MEMORY_DAYS (a
 * session is used when it starts and at each refresh). The account's very first session
 * (Register, or a first OAuth sign-in) is therefore never "new": there is no familiar device
 * to compare it with. The client address is not part of a device: addresses
 * change with every network, and mail on each would teach people to ignore it. Only sign-in
 * sessions count (not next-auth's database sessions, which record no device). Two concurrent
 * first sign-ins from one device may both mail: a duplicate notice costs less than a lock on
 * every sign-in.
 */
export async function isNewDevice(tx: Prisma.TransactionClient, input: { userId: string; sessionId: string; userAgent: string; now: Date }): Promise<boolean> {
  const since = new Date(input.now.getTime() - DEVICE_MEMORY_DAYS * 86_400_000);
  const [row] = await tx.$queryRaw<{ signedInBefore: boolean; seen: boolean }[]>`
    SELECT count(*) > 0 AS "signedInBefore",
           coalesce(bool_or("userAgent" = ${input.userAgent} AND "lastUsedAt" > ${since}), false) AS seen
    FROM "Session" WHERE "userId" = ${input.userId} AND id <> ${input.sessionId} AND "sessionToken" IS NULL`;
  return row!.signedInBefore && !row!.seen;
}
