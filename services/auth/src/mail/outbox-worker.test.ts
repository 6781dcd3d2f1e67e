import { describe, expect, it } from "vitest";
import { backoffMs, DEFAULT_OUTBOX_OPTIONS } from "./outbox-worker.js";
import { smtpTimeouts } from "./transport.js";

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
  it("match the documented defaults: no attempt limit, a day for mail without a token, a one-minute send bound", () => {
    expect(DEFAULT_OUTBOX_OPTIONS).toMatchObject({ pollMs: 1000, batch: 10, backoffBaseMs: 2000, backoffMaxMs: 600_000, sendTimeoutMs: 60_000, retryWindowMs: 86_400_000 });
    expect(DEFAULT_OUTBOX_OPTIONS).not.toHaveProperty("maxAttempts");
  });

  it("give nodemailer explicit timeouts that together fit in the send bound", () => {
    for (const t of [5_000, 60_000, 600_000]) {
      const s = smtpTimeouts(t);
      expect(s.dnsTimeout + s.connectionTimeout + s.greetingTimeout + s.socketTimeout).toBeLessThanOrEqual(t);
      expect(Math.min(...Object.values(s))).toBeGreaterThan(0);
    }
  });
});
