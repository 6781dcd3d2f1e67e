import { expect, it } from "vitest";
import { uuidv7 } from "./uuid-v7.js";

it("makes version-7 UUIDs that carry the time and sort in the order they were made", () => {
  const before = Date.now();
  const ids = Array.from({ length: 5000 }, () => uuidv7());
  for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
  const ms = parseInt(ids[0]!.replace(/-/g, "").slice(0, 12), 16);
  expect(ms).toBeGreaterThanOrEqual(before);
  expect(ms).toBeLessThanOrEqual(Date.now() + 5);
});
