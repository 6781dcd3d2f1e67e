import type { PrismaClient } from "../db/client.js";
import { isUniqueViolation } from "../db/database-errors.js";
import { normalizeEmail } from "./email.js";

/** What re-normalising the stored addresses did, and what it left to the operator. */
export interface RenormalizeReport {
  /** Rows whose address now has its current form (e.g. "用户@例子.中国" -> "用户@xn--fsqu00a.xn--fiqs8s"). */
  updated: { id: string; from: string; to: string }[];
  /** Rows whose current form another account already uses: look-alike pairs, left unchanged. */
  conflicts: { id: string; email: string; wanted: string }[];
  /** Rows the current rules refuse outright (an invisible code point, bad punycode), left unchanged. */
  refused: { id: string; email: string }[];
}

/**
 * Brings User.email rows stored under the earlier rules (lower case + NFC, domain as typed) to
 * the current ones (normalizeEmail: NFKC local part, IDNA ASCII domain, no invisible code
 * points). Only addresses with a non-ASCII character or an "xn--" label can differ, so only
 * those are read. Lookups normalise their input, so until this runs, an account stored with a
 * Unicode domain or a compatibility character cannot be found by its address (sign-in, reset).
 * Safe to run again: a row already in its current form is left alone.
 */
export async function renormalizeStoredEmails(db: PrismaClient): Promise<RenormalizeReport> {
  const report: RenormalizeReport = { updated: [], conflicts: [], refused: [] };
  const rows = await db.$queryRaw<{ id: string; email: string }[]>`
    SELECT id, email FROM "User" WHERE email ~ '[^\\x01-\\x7e]' OR email LIKE '%xn--%' ORDER BY id`;
  for (const row of rows) {
    const wanted = normalizeEmail(row.email);
    if (wanted === row.email) continue;
    if (wanted === null) {
      report.refused.push(row);
      continue;
    }
    try {
      // Only if unchanged since it was read.
      const { count } = await db.user.updateMany({ where: { id: row.id, email: row.email }, data: { email: wanted } });
      if (count === 1) report.updated.push({ id: row.id, from: row.email, to: wanted });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      report.conflicts.push({ ...row, wanted });
    }
  }
  return report;
}
