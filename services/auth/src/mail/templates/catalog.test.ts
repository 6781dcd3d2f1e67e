import { describe, expect, it } from "vitest";
import { LOCALES } from "../../kernel/locale.js";
import { CATALOGS, placeholdersOf, translate } from "./catalog.js";

describe("the mail catalogs", () => {
  const reference = CATALOGS.en;

  it("exist for every locale, each with exactly the English keys", () => {
    for (const locale of LOCALES) {
      expect(Object.keys(CATALOGS[locale]).sort(), locale).toEqual(Object.keys(reference).sort());
    }
  });

  it("use the same placeholders for a key in every language, and no empty string", () => {
    for (const locale of LOCALES) {
      for (const [key, text] of Object.entries(CATALOGS[locale])) {
        expect(placeholdersOf(text), `${locale} ${key}`).toEqual(placeholdersOf(reference[key as keyof typeof reference]));
        expect(text.trim(), `${locale} ${key}`).not.toBe("");
      }
    }
  });

  it("never names the product literally: it comes from PRODUCT_NAME", () => {
    for (const locale of LOCALES) expect(JSON.stringify(CATALOGS[locale])).not.toMatch(/tessera/i);
  });

  it("fills placeholders and refuses to leave one empty", () => {
    expect(translate("fr", "reset.subject", { product: "Acme" })).toBe("Réinitialisez votre mot de passe Acme");
    expect(() => translate("en", "reset.subject", {})).toThrow(/needs \{product\}/);
  });
});
