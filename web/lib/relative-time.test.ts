import { describe, expect, it } from "vitest";
import { relativeTime } from "./relative-time";

const now = new Date("2026-12-03T12:00:00Z");
const ago = (s: number) => new Date(now.getTime() - s * 1000);

describe("relativeTime", () => {
  it("says how long ago, in the unit a person would use", () => {
    expect(relativeTime(ago(5), "en", now)).toBe("5 seconds ago");
    expect(relativeTime(ago(0), "en", now)).toBe("now");
    expect(relativeTime(ago(3 * 60), "en", now)).toBe("3 minutes ago");
    expect(relativeTime(ago(2 * 3600), "en", now)).toBe("2 hours ago");
    expect(relativeTime(ago(26 * 3600), "en", now)).toBe("yesterday");
    expect(relativeTime(ago(45 * 86400), "en", now)).toBe("2 months ago");
    expect(relativeTime(ago(800 * 86400), "en", now)).toBe("2 years ago");
  });

  it("speaks French", () => {
    expect(relativeTime(ago(3 * 60), "fr", now)).toBe("il y a 3 minutes");
    expect(relativeTime(ago(26 * 3600), "fr", now)).toBe("hier");
  });

  it("handles the future (an expiry)", () => {
    expect(relativeTime(new Date(now.getTime() + 7 * 86400 * 1000), "en", now)).toBe("in 7 days");
  });
});
