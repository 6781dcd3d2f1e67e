import { describe, expect, it } from "vitest";
import type { Locale } from "../../kernel/locale.js";
import type { MailMessage } from "../outbox.js";
import {
  deviceLabel,
  emailChangeConfirmMail,
  authenticatorDisabledMail,
  authenticatorEnabledMail,
  emailChangedMail,
  emailTakenMail,
  newSignInMail,
  passkeyAddedMail,
  passkeyRemovedMail,
  passwordChangedMail,
  passwordResetMail,
  recoveryCodeUsedMail,
  secondFactorsRemovedMail,
  signedOutEverywhereMail,
  verificationMail,
  type MailSite,
} from "./mails.js";

const site: MailSite = { webUrl: "https://web.test/", productName: "Acme ID" };
const TOKEN = "A".repeat(43);
const issued = { token: TOKEN, expiresAt: new Date("2026-01-02T04:04:05Z") };
const event = { client: { userAgent: "Laptop/1.0", ipAddress: "192.0.2.1" }, at: new Date("2026-01-02T03:04:05Z") };
const to = (locale: Locale) => ({ email: "ada@example.com", locale, name: "Ada" });

/**
 * Every mail kind, with what its subject says in each language, the link it must carry, and
 * a sentence of its body in each language.
 */
const KINDS: {
  kind: string;
  render: (locale: Locale) => MailMessage;
  subject: Record<Locale, string>;
  body: Record<Locale, string>;
  link: string;
  expires: boolean;
}[] = [
  {
    kind: "email verification",
    render: (l) => verificationMail(site, to(l), issued),
    subject: { en: "Confirm your email address", fr: "Confirmez votre adresse e-mail" },
    body: { en: "belongs to your Acme ID account", fr: "appartient à votre compte Acme ID" },
    link: `https://web.test/verify-email?token=${TOKEN}`,
    expires: true,
  },
  {
    kind: "password reset",
    render: (l) => passwordResetMail(site, to(l), issued),
    subject: { en: "Reset your Acme ID password", fr: "Réinitialisez votre mot de passe Acme ID" },
    body: { en: "The link works once, for one hour.", fr: "Le lien fonctionne une seule fois, pendant une heure." },
    link: `https://web.test/reset-password?token=${TOKEN}`,
    expires: true,
  },
  {
    kind: "new-device sign-in",
    render: (l) => newSignInMail(site, to(l), event),
    subject: { en: "New sign-in to your Acme ID account", fr: "Nouvelle connexion à votre compte Acme ID" },
    body: { en: "Device: Laptop/1.0", fr: "Appareil\u00a0: Laptop/1.0" },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "password changed",
    render: (l) => passwordChangedMail(site, to(l), event),
    subject: { en: "Your Acme ID password was changed", fr: "Votre mot de passe Acme ID a été modifié" },
    body: { en: "IP address: 192.0.2.1", fr: "Adresse IP\u00a0: 192.0.2.1" },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "recovery code used",
    render: (l) => recoveryCodeUsedMail(site, to(l), { ...event, remaining: 9 }),
    subject: { en: "A recovery code was used on your Acme ID account", fr: "Un code de récupération de votre compte Acme ID a été utilisé" },
    body: { en: "9 unused codes are left.", fr: "Il reste 9 codes inutilisés." },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "second factors removed by an admin",
    render: (l) => secondFactorsRemovedMail(site, to(l), event),
    subject: { en: "Two-step sign-in was turned off on your Acme ID account", fr: "La connexion en deux étapes a été désactivée sur votre compte Acme ID" },
    body: { en: "An administrator removed the authenticator app", fr: "Un administrateur a supprimé l'application d'authentification" },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "authenticator turned on",
    render: (l) => authenticatorEnabledMail(site, to(l), event),
    subject: { en: "An authenticator app was turned on for your Acme ID account", fr: "Une application d'authentification a été activée sur votre compte Acme ID" },
    body: { en: "also asks for one of its codes", fr: "demande désormais aussi l'un de ses codes" },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "authenticator turned off by the user",
    render: (l) => authenticatorDisabledMail(site, to(l), event),
    subject: { en: "The authenticator app was turned off on your Acme ID account", fr: "L'application d'authentification de votre compte Acme ID a été désactivée" },
    body: { en: "its codes no longer work", fr: "ses codes ne fonctionnent plus" },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "passkey added",
    render: (l) => passkeyAddedMail(site, to(l), event),
    subject: { en: "A passkey was added to your Acme ID account", fr: "Une clé d'accès a été ajoutée à votre compte Acme ID" },
    body: { en: "It can sign in to the account without a password.", fr: "Elle permet de s'y connecter sans mot de passe." },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "passkey removed",
    render: (l) => passkeyRemovedMail(site, to(l), event),
    subject: { en: "A passkey was removed from your Acme ID account", fr: "Une clé d'accès a été supprimée de votre compte Acme ID" },
    body: { en: "it can no longer sign in", fr: "elle ne permet plus de s'y connecter" },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "signed out everywhere",
    render: (l) => signedOutEverywhereMail(site, to(l), { ...event, count: 2 }),
    subject: { en: "You were signed out everywhere on Acme ID", fr: "Vous avez été déconnecté partout sur Acme ID" },
    body: { en: "2 sessions ended.", fr: "2 sessions terminées." },
    link: "https://web.test/forgot-password",
    expires: false,
  },
  {
    kind: "email changed (to the old address)",
    render: (l) => emailChangedMail(site, to(l), { ...event, newAddress: "new@example.com" }),
    subject: { en: "The email address of your Acme ID account was changed", fr: "L'adresse e-mail de votre compte Acme ID a été modifiée" },
    body: { en: "from this address to new@example.com", fr: "de cette adresse à new@example.com" },
    link: "https://web.test/account",
    expires: false,
  },
  {
    kind: "email change confirmation (to the new address)",
    render: (l) => emailChangeConfirmMail(site, to(l), issued),
    subject: { en: "Confirm your new email address", fr: "Confirmez votre nouvelle adresse e-mail" },
    body: { en: "the account keeps its current address", fr: "le compte garde son adresse actuelle" },
    link: `https://web.test/confirm-email-change?token=${TOKEN}`,
    expires: true,
  },
  {
    kind: "address already taken",
    render: (l) => emailTakenMail(site, to(l)),
    subject: { en: "Someone tried to use this address for another Acme ID account", fr: "Quelqu'un a tenté d'utiliser cette adresse pour un autre compte Acme ID" },
    body: { en: "Nothing was changed.", fr: "Rien n'a été modifié." },
    link: "https://web.test/signin",
    expires: false,
  },
];

describe.each(KINDS)("the $kind mail", ({ render, subject, body, link, expires }) => {
  it.each(["en", "fr"] as const)("in %s: subject, body and greeting in that language, the link as a button and as text", (locale) => {
    const other = locale === "en" ? "fr" : "en";
    const mail = render(locale);
    expect(mail.to).toBe("ada@example.com");
    expect(mail.subject).toBe(subject[locale]);
    expect(mail.text).toContain(body[locale]);
    expect(mail.text).not.toContain(body[other]);
    expect(mail.text.startsWith(locale === "en" ? "Hello Ada," : "Bonjour Ada,")).toBe(true);
    expect(mail.html).toContain(`<html lang="${locale}"`);
    expect(mail.html).toContain(`<title>${subject[locale].replace(/'/g, "&#39;")}</title>`);
    // The link on its own line in text (what tests and people copy), and in HTML as the button's
    // target and again as visible text under it.
    expect(mail.text).toContain(`:\n${link}\n`);
    expect(mail.html.split(`href="${link}"`)).toHaveLength(3);
    expect(mail.html).toContain(`>${link}</a>`);
    expect(mail.html).toContain('role="presentation"');
    // The footer says why the mail came, and the product's name is the configured one.
    expect(mail.text).toMatch(locale === "en" ? /\n-- \nYou received this mail because/ : /\n-- \nVous recevez ce message parce que/);
    expect(mail.html).toContain(">Acme ID</td>");
    expect(`${mail.subject}${mail.text}${mail.html}`).not.toMatch(/tessera/i);
    expect(mail.expiresAt !== undefined).toBe(expires);
  });
});

describe("mail HTML", () => {
  it("escapes every value: a name with <script> and &, a product name, the device", () => {
    const mail = passwordChangedMail(
      { webUrl: "https://web.test", productName: "A&B <ID>" },
      { email: "x@example.com", locale: "en", name: "<script>alert(1)</script> & co" },
      { client: { userAgent: 'Evil "ua" <img src=x>', ipAddress: "192.0.2.1" }, at: event.at },
    );
    expect(mail.html).toContain("Hello &#60;script&#62;alert(1)&#60;/script&#62; &#38; co,");
    expect(mail.html).toContain("A&#38;B &#60;ID&#62;");
    expect(mail.html).toContain("Evil &#34;ua&#34; &#60;img src=x&#62;");
    expect(mail.html).not.toMatch(/<script|<img|<ID>/);
    // The text part is not HTML: it quotes the name as written.
    expect(mail.text).toContain("Hello <script>alert(1)</script> & co,");
  });

  it("greets without a name when there is none, and flattens a name to one line", () => {
    expect(verificationMail(site, { email: "x@example.com", locale: "fr" }, issued).text.startsWith("Bonjour,\n")).toBe(true);
    expect(verificationMail(site, { email: "x@example.com", locale: "en", name: "Ada\r\nBcc: x" }, issued).text.startsWith("Hello Ada Bcc: x,\n")).toBe(true);
  });
});

describe("security notice details", () => {
  it("quote the User-Agent on one line, cut short, and name a missing one in the reader's language", () => {
    expect(deviceLabel("Mozilla/5.0\r\nFake-Header: x\u0000")).toBe("Mozilla/5.0 Fake-Header: x");
    const long = deviceLabel("A".repeat(1000));
    expect(long).toHaveLength(160);
    expect(long.endsWith("…")).toBe(true);
    const unknown = { client: { userAgent: "  \t", ipAddress: "" }, at: event.at };
    expect(newSignInMail(site, to("en"), unknown).text).toContain("Device: an unknown device\nIP address: unknown");
    expect(newSignInMail(site, to("fr"), unknown).text).toContain("Appareil\u00a0: un appareil inconnu\nAdresse IP\u00a0: inconnue");
  });

  it("state the time in UTC, in the reader's language", () => {
    expect(newSignInMail(site, to("en"), event).text).toContain("Time: Fri, 02 Jan 2026 03:04:05 GMT");
    expect(newSignInMail(site, to("fr"), event).text).toContain("Date\u00a0: vendredi 2 janvier 2026 à 03:04:05 UTC");
  });

  it("send the old address of an email change to the account page, never the reset page (its link would reach the new address)", () => {
    const mail = emailChangedMail(site, to("en"), { ...event, newAddress: "new@example.com" });
    expect(mail.text).toContain("https://web.test/account");
    expect(mail.text).not.toContain("forgot-password");
  });
});
