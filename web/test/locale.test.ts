// Which language a request gets: the switcher's cookie, else the browser's Accept-Language, else English.
import { describe, expect, it } from "vitest";
import { fromAcceptLanguage, negotiateLocale, localeOfHeaders } from "../i18n/locales.js";

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

  it("reads the cookie, then Accept-Language, from raw request headers (the locale a sign-up registers)", () => {
    expect(localeOfHeaders({ cookie: "a=1; locale=fr; b=2", "accept-language": "en" })).toBe("fr");
    expect(localeOfHeaders({ cookie: "locale=de", "accept-language": "fr-CA,en;q=0.5" })).toBe("fr");
    expect(localeOfHeaders({ "accept-language": ["de", "fr;q=0.9"] })).toBe("fr");
    expect(localeOfHeaders({})).toBe("en");
  });
});
