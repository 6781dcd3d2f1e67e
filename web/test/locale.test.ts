// Which language a request gets: the switcher's cookie, else the browser's Accept-Language, else English.
import { describe, expect, it } from "vitest";
import { fromAcceptLanguage, negotiateLocale } from "../i18n/locales.js";

describe("negotiateLocale", () => {
  it("follows the cookie when it names a language we speak", () => {
    expect(negotiateLocale("fr", "en-US,en;q=0.9")).toBe("fr");
    expect(negotiateLocale("en", "fr-FR")).toBe("en");
    expect(negotiateLocale("de", "fr-FR")).toBe("fr");
  });

  it("otherwise picks the best-rated language of Accept-Language", () => {
    expect(fromAcceptLanguage("fr-CA,fr;q=0.9,en;q=0.8")).toBe("fr");
    expect(fromAcceptLanguage("de-DE,de;q=0.9,fr;q=0.5,en;q=0.7")).toBe("en");
    expect(fromAcceptLanguage("en;q=0.2, fr;q=0.8")).toBe("fr");
    expect(fromAcceptLanguage("fr;q=0, en")).toBe("en");
    expect(fromAcceptLanguage("de, es")).toBeUndefined();
  });

  it("falls back to English", () => {
    expect(negotiateLocale(undefined, undefined)).toBe("en");
    expect(negotiateLocale(undefined, "de-DE")).toBe("en");
    expect(negotiateLocale(undefined, "*")).toBe("en");
  });
});
