import { domainToASCII, domainToUnicode } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeEmail } from "./email.js";

describe("normalizeEmail", () => {
  it("trims, lower-cases and NFKC-normalises the local part, and stores the domain's ASCII form", () => {
    expect(normalizeEmail("  Alice@Example.COM ")).toBe("alice@example.com");
    // "é" as e + combining acute (NFD) becomes the single code point.
    expect(normalizeEmail("Re\u0301mi@exemple.fr")).toBe("r\u00e9mi@exemple.fr");
    expect(normalizeEmail("\uff21\uff44\uff41@\uff25xample.com")).toBe("ada@example.com"); // full-width
    expect(normalizeEmail("\ufb01le@example.com")).toBe("file@example.com"); // the "fi" ligature
    expect(normalizeEmail("用户@例子.中国")).toBe("用户@xn--fsqu00a.xn--fiqs8s");
    expect(normalizeEmail("用户@XN--FSQU00A.xn--fiqs8s")).toBe("用户@xn--fsqu00a.xn--fiqs8s");
    expect(normalizeEmail("ada@b\u00fccher.example")).toBe("ada@xn--bcher-kva.example");
    expect(normalizeEmail("ada@例子\u3002中国")).toBe("ada@xn--fsqu00a.xn--fiqs8s"); // ideographic full stop
  });

  it("accepts ordinary and internationalised addresses", () => {
    for (const ok of ["a.b+tag@sub.example.org", "o'neil@example.ie", "用户@xn--fsqu00a.xn--fiqs8s", "josé@xn--exmple-cua.es"]) {
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
      "a\uff20b@example.com",
      "alice@[127.0.0.1]",
      "alice@127.0.0.1",
      "alice@0x7f.1",
      "al..ice@example.com",
      ".alice@example.com",
      "alice.@example.com",
      "alice@-example.com",
      "alice@example.com.",
      "alice@exa_mple.com",
      "alice@xn--zz.com", // invalid punycode
      "alice @example.com",
      "alice@exa mple.com",
      "alice<script>@example.com",
      `${"a".repeat(65)}@example.com`,
      `a@${"b".repeat(250)}.com`,
    ];
    for (const b of bad) expect(normalizeEmail(b), b).toBeNull();
  });

  it.each([
    ["U+034F combining grapheme joiner", "ada\u034f@example.com"],
    ["U+200D zero width joiner", "a\u200dda@example.com"],
    ["U+200C zero width non-joiner", "ada@exa\u200cmple.com"],
    ["U+00AD soft hyphen (UTS #46 would delete it)", "ada@exam\u00adple.com"],
    ["U+FE0F variation selector", "ada\ufe0f@example.com"],
    ["U+2060 word joiner", "ada\u2060@example.com"],
    ["U+E0041 tag latin capital a", "ada\u{e0041}@example.com"],
    ["U+FEFF zero width no-break space, even leading", "\ufeffada@example.com"],
  ])("refuses an invisible %s", (_name, address) => {
    expect(normalizeEmail(address)).toBeNull();
  });
});

/** A sample of every kind of Default_Ignorable_Code_Point. */
const IGNORABLES = [
  0xad, 0x34f, 0x61c, 0x115f, 0x1160, 0x17b4, 0x180b, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x202a, 0x202e, 0x2060, 0x2064, 0x2066, 0x206f,
  0x3164, 0xfe00, 0xfe0f, 0xfeff, 0xffa0, 0xfff0, 0x1bca0, 0x1d173, 0xe0001, 0xe0020, 0xe007f, 0xe0100, 0xe01ef, 0xe0fff,
].map((cp) => String.fromCodePoint(cp));

const chars = (s: string) => [...s];
const localChar = fc.constantFrom(...chars("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+_-'éüßøñçåжщλω用户名"));
const domainChar = fc.constantFrom(...chars("abcdefghijklmnopqrstuvwxyz0123456789üéñøåжλ例子中国ü"));
const word = (c: fc.Arbitrary<string>, max: number) => fc.array(c, { minLength: 1, maxLength: max }).map((a) => a.join(""));
const local = fc.array(word(localChar, 10), { minLength: 1, maxLength: 3 }).map((a) => a.join("."));
const domain = fc
  .tuple(fc.array(word(domainChar, 12), { minLength: 1, maxLength: 2 }), fc.constantFrom("com", "org", "example", "中国", "рф"))
  .map(([labels, tld]) => [...labels, tld].join("."));
/** Generated addresses the rules accept. */
const address = fc.tuple(local, domain).filter(([l, d]) => normalizeEmail(`${l}@${d}`) !== null);

/** The full-width form (U+FF01..U+FF5E) of each printable ASCII character other than '@', where `pick` says so. */
function fullWidth(s: string, pick: boolean[]): string {
  return chars(s)
    .map((c, i) => (pick[i % pick.length] && c > " " && c <= "~" && c !== "@" ? String.fromCodePoint(c.codePointAt(0)! - 0x21 + 0xff01) : c))
    .join("");
}

describe("normalizeEmail properties", () => {
  it("refuses a default-ignorable code point inserted anywhere", () => {
    fc.assert(
      fc.property(address, fc.constantFrom(...IGNORABLES), fc.nat(), ([l, d], invisible, at) => {
        const s = `${l}@${d}`;
        const i = at % (s.length + 1);
        expect(normalizeEmail(s.slice(0, i) + invisible + s.slice(i))).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it("gives full-width and case variants the same key", () => {
    fc.assert(
      fc.property(address, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 1 }), ([l, d], wide, upper) => {
        const cased = chars(`${l}@${d}`)
          // Only where upper case is a case variant ("ß" upper-cases to "SS", another string).
          .map((c, i) => (upper[i % upper.length] && c.toUpperCase().toLowerCase() === c ? c.toUpperCase() : c))
          .join("");
        expect(normalizeEmail(fullWidth(cased, wide))).toBe(normalizeEmail(`${l}@${d}`));
      }),
      { numRuns: 500 },
    );
  });

  it("gives a domain's Unicode and punycode forms the same key, the ASCII one", () => {
    fc.assert(
      fc.property(address, ([l, d]) => {
        const key = normalizeEmail(`${l}@${d}`)!;
        const ascii = domainToASCII(d);
        expect(key.endsWith(`@${ascii}`)).toBe(true);
        expect(normalizeEmail(`${l}@${ascii}`)).toBe(key);
        expect(normalizeEmail(`${l}@${domainToUnicode(ascii)}`)).toBe(key);
      }),
      { numRuns: 500 },
    );
  });

  it("is idempotent, on generated addresses and on any string it accepts", () => {
    const idempotent = (s: string) => {
      const once = normalizeEmail(s);
      if (once !== null) expect(normalizeEmail(once)).toBe(once);
    };
    fc.assert(fc.property(address, ([l, d]) => idempotent(`${l}@${d}`)), { numRuns: 500 });
    const anyLocal = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 });
    fc.assert(fc.property(anyLocal, domain, (l, d) => idempotent(`${l}@${d}`)), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 40 }), idempotent), { numRuns: 2000 });
  });
});
