import { describe, expect, it } from "vitest";
import { backoffMs, DEFAULT_OUTBOX_OPTIONS } from "./outbox-worker.js";

describe("backoffMs", () => {
  it("starts at the base, doubles, and is capped at 10 minutes by default", () => {
    const delays = [1, 2, 3, 4, 5, 9, 10, 50, 10_000].map((n) => backoffMs(n, DEFAULT_OUTBOX_OPTIONS));
    expect(delays).toEqual([2000, 4000, 8000, 16000, 32000, 512_000, 600_000, 600_000, 600_000]);
  });

  it("honours a small base (tests)", () => {
    expect(backoffMs(3, { backoffBaseMs: 0, backoffMaxMs: 1000 })).toBe(0);
    expect(backoffMs(3, { backoffBaseMs: 5, backoffMaxMs: 1000 })).toBe(20);
  });
});

describe("default options", () => {
  it("match the documented defaults and keep the lease longer than any SMTP send", () => {
    expect(DEFAULT_OUTBOX_OPTIONS).toMatchObject({ pollMs: 1000, batch: 10, maxAttempts: 10, backoffBaseMs: 2000, backoffMaxMs: 600_000 });
    expect(DEFAULT_OUTBOX_OPTIONS.leaseMs).toBeGreaterThanOrEqual(5 * 60 * 1000);
  });
});
