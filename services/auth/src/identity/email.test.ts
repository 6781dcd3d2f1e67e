import { describe, expect, it } from "vitest";
import { normalizeEmail } from "./email.js";

describe("normalizeEmail", () => {
  it("trims, lower-cases and NFC-normalises", () => {
    expect(normalizeEmail("  Alice@Example.COM ")).toBe("alice@example.com");
    // "é" as e + combining acute (NFD) becomes the single code point (NFC).
    expect(normalizeEmail("Re\u0301mi@exemple.fr")).toBe("r\u00e9mi@exemple.fr");
  });

  it("accepts ordinary and internationalised addresses", () => {
    for (const ok of ["a.b+tag@sub.example.org", "o'neil@example.ie", "用户@例子.中国"]) {
      expect(normalizeEmail(ok), ok).toBe(ok);
    }
  });

  it("rejects what is not a plain mailbox address", () => {
    const bad = [
      "",
      "plainaddress",
      "@example.com",
      "alice@",
      "alice@localhost",
      "a@b@example.com",
      '"john doe"@example.com',
      '"a@b"@example.com',
      "alice\uff20example.com", // full-width @
      "alice@[127.0.0.1]",
      "alice@127.0.0.1",
      "al..ice@example.com",
      ".alice@example.com",
      "alice.@example.com",
      "alice@-example.com",
      "alice @example.com",
      "alice@exa mple.com",
      "alice<script>@example.com",
      `${"a".repeat(65)}@example.com`,
      `a@${"b".repeat(250)}.com`,
    ];
    for (const b of bad) expect(normalizeEmail(b), b).toBeNull();
  });
});
