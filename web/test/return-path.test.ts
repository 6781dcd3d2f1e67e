// The return path after sign-in: every way a browser turns a "path" into another origin is
// refused, and what is accepted is the parsed path, never the raw text.
import { describe, expect, it } from "vitest";
import { returnPath, safeReturnPath } from "../lib/server/return-path.js";

const ORIGIN = "http://localhost:3000";

/** Values that browsers (or a URL parser) resolve to another origin, or to something not a page. */
const EVIL_RETURN_PATHS = [
  "//evil.example",
  "//evil.example/account",
  "/\\evil.example",
  "\\\\evil.example",
  "/%5Cevil.example",
  "/%5C%5Cevil.example",
  "/%2F/evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "https:evil.example",
  "https://evil.example/account",
  "http://localhost:3000@evil.example/",
  "http://evil.example\\@localhost:3000/",
  "javascript:alert(1)",
  "java\nscript:alert(1)",
  "JaVaScRiPt:alert(document.domain)",
  "data:text/html,<script>alert(1)</script>",
  "/account\u0000",
  "/account\u0085",
];

describe("returnPath", () => {
  it.each(EVIL_RETURN_PATHS)("refuses %j", (value) => {
    expect(returnPath(value, ORIGIN)).toBeUndefined();
    expect(safeReturnPath(value, "/", ORIGIN)).toBe("/");
  });

  it("falls back on malformed values instead of throwing", () => {
    for (const value of ["%", "/%E0%A4%A", "http://[::1", "", undefined, "x".repeat(5000)]) {
      expect(safeReturnPath(value, "/", ORIGIN)).toBe("/");
    }
    expect(safeReturnPath("/account", "/", "not a url")).toBe("/");
  });

  it("keeps paths on this origin, as parsed", () => {
    expect(returnPath("/account", ORIGIN)).toBe("/account");
    expect(returnPath("/account?tab=sessions#x", ORIGIN)).toBe("/account?tab=sessions");
    expect(returnPath(`${ORIGIN}/account`, ORIGIN)).toBe("/account");
    expect(returnPath("/a/../account", ORIGIN)).toBe("/account");
    expect(returnPath("account", ORIGIN)).toBe("/account");
    expect(returnPath("/account", undefined)).toBe("/account");
  });

  it("never sends the sign-in page back to itself", () => {
    expect(safeReturnPath("/signin?callbackUrl=/account", "/account", ORIGIN)).toBe("/account");
    expect(safeReturnPath("/signin", "/account", ORIGIN)).toBe("/account");
    expect(safeReturnPath("/signup", "/account", ORIGIN)).toBe("/signup");
  });
});
