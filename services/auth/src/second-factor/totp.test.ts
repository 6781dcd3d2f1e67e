import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCode } from "./recovery-codes.js";
import { matchTotpStep, newTotpSecret, totpCode, totpUri } from "./totp.js";

/** RFC 6238 Appendix B, SHA-1 rows: the seed "12345678901234567890", 8-digit codes. */
const RFC6238_SHA1: [seconds: number, code: string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];
const SEED = Secret.fromLatin1("12345678901234567890");

describe("TOTP (RFC 6238, SHA-1, 30 s)", () => {
  it.each(RFC6238_SHA1)("gives the RFC's 8-digit code at %i s, and our 6-digit code is its last six digits", (seconds, code) => {
    expect(TOTP.generate({ secret: SEED, algorithm: "SHA1", digits: 8, period: 30, timestamp: seconds * 1000 })).toBe(code);
    expect(totpCode(SEED.base32, seconds * 1000)).toBe(code.slice(-6));
    expect(matchTotpStep(SEED.base32, code.slice(-6), seconds * 1000)).toBe(Math.floor(seconds / 30));
  });

  it("accepts one step of skew either side and no more, and names the step it matched", () => {
    const now = 1111111111_000;
    const step = Math.floor(now / 30_000);
    for (const d of [-1, 0, 1]) expect(matchTotpStep(SEED.base32, totpCode(SEED.base32, now + d * 30_000), now)).toBe(step + d);
    for (const d of [-2, 2]) expect(matchTotpStep(SEED.base32, totpCode(SEED.base32, now + d * 30_000), now)).toBeNull();
    expect(matchTotpStep(SEED.base32, "12345", now)).toBeNull();
    expect(matchTotpStep(SEED.base32, "abcdef", now)).toBeNull();
  });

  it("makes 160-bit secrets and an otpauth URI with issuer and label", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = new URL(totpUri(secret, "Acme ID", "ann@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Acme ID");
    expect(decodeURIComponent(uri.pathname)).toContain("ann@example.com");
  });
});

describe("recovery codes", () => {
  it("are xxxxx-xxxxx, hashed ignoring case, spaces and dashes", () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
    expect(looksLikeRecoveryCode(code)).toBe(true);
    expect(looksLikeRecoveryCode("123456")).toBe(false);
    expect(hashRecoveryCode(` ${code.toUpperCase().replace("-", " ")} `)).toEqual(hashRecoveryCode(code));
    expect(hashRecoveryCode(newRecoveryCode())).not.toEqual(hashRecoveryCode(code));
  });
});
