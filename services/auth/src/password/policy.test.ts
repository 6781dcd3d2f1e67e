import { describe, expect, it } from "vitest";
import { checkPasswordPolicy } from "./policy.js";

describe("checkPasswordPolicy", () => {
  it("counts Unicode characters, not bytes or UTF-16 units", () => {
    expect(checkPasswordPolicy("🔑🔑🔑🔑🔑🔑🔑")).toBe("too_short"); // 7 emoji, 14 UTF-16 units
    expect(checkPasswordPolicy("🔑🔑🔑🔑🔑🔑🔑🔑")).toBeNull();
  });

  it("accepts long passphrases without truncating them", () => {
    expect(checkPasswordPolicy("correct horse battery staple ".repeat(30))).toBeNull();
    expect(checkPasswordPolicy("x".repeat(1025))).toBe("too_long");
  });

  it("refuses breached favourites whatever their case", () => {
    expect(checkPasswordPolicy("password1")).toBe("too_common");
    expect(checkPasswordPolicy("PaSsWoRd1")).toBe("too_common");
    expect(checkPasswordPolicy("qwertyuiop")).toBe("too_common");
  });
});
