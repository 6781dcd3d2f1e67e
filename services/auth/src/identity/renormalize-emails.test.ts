/** Rows stored under the earlier email rules, brought to the current form against the test database. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPrisma, type PrismaClient } from "../db/client.js";
import { normalizeEmail } from "./email.js";
import { renormalizeStoredEmails } from "./renormalize-emails.js";

let db: PrismaClient;
beforeAll(() => {
  db = createPrisma(inject("databaseUrl"));
});
afterAll(() => db?.$disconnect());

describe("renormalizeStoredEmails", () => {
  it("rewrites old-form rows so their address finds them again, and leaves look-alike pairs and refused rows to the operator", async () => {
    const tag = randomBytes(4).toString("hex");
    // As the earlier rules stored them: lower case + NFC, the domain as typed.
    const [idn, wide, pair, lookalike, invisible, plain] = await Promise.all(
      [`idn.${tag}@bücher.example`, `\uff41da.${tag}@example.com`, `pair.${tag}@xn--bcher-kva.example`, `pair.${tag}@bücher.example`, `inv\u034f.${tag}@example.com`, `plain.${tag}@example.com`].map(
        (email) => db.user.create({ data: { email }, select: { id: true, email: true } }),
      ),
    );
    const report = await renormalizeStoredEmails(db);
    const mine = <T extends { id: string }>(list: T[]) => list.filter((r) => [idn, wide, pair, lookalike, invisible, plain].some((u) => u!.id === r.id));
    expect(mine(report.updated).map((u) => u.id).sort()).toEqual([idn!.id, wide!.id].sort());
    expect(mine(report.conflicts)).toEqual([{ ...lookalike, wanted: pair!.email }]);
    expect(mine(report.refused)).toEqual([invisible]);
    // Lookups normalise what the user types: the rewritten rows are found by it again.
    for (const [typed, user] of [[`idn.${tag}@bücher.example`, idn], [`ada.${tag}@example.com`, wide]] as const) {
      expect((await db.user.findUnique({ where: { email: normalizeEmail(typed)! } }))?.id).toBe(user!.id);
    }
    expect((await db.user.findUnique({ where: { id: plain!.id } }))?.email).toBe(plain!.email);
    // Running it again changes nothing of these rows.
    expect(mine((await renormalizeStoredEmails(db)).updated)).toEqual([]);
    // The look-alike rows are left for the operator: not for other suites sharing this database.
    await db.user.deleteMany({ where: { id: { in: [idn, wide, pair, lookalike, invisible, plain].map((u) => u!.id) } } });
  });
});
