import type { Locale } from "../../kernel/locale.js";
import type { MailMessage } from "../outbox.js";
import { translate } from "./catalog.js";

/** What every mail needs from configuration: where links point, and the product's name. */
export interface MailSite {
  /** TESSERA_WEB_URL: the only base of links in mail, never anything from a request. */
  webUrl: string;
  /** PRODUCT_NAME, in subjects, bodies and the header of the HTML part. */
  productName: string;
}

/** Who a mail goes to, the language they read (User.locale), and their name to greet them by. */
export interface Recipient {
  email: string;
  locale: Locale;
  /** User.name; the mail greets without a name when it is absent or blank. */
  name?: string | null;
}

/**
 * One part of a mail body, already in the recipient's language, in reading order: a
 * paragraph, lines kept together (device, address, time), a button to a link (the raw link
 * follows it as text), or a closing note (smaller and greyed in HTML).
 */
export type MailBlock = { paragraph: string } | { lines: readonly string[] } | { button: string; link: string } | { note: string };

/** A mail's content before layout: its subject, its body, and why the recipient gets it. */
export interface MailContent {
  subject: string;
  blocks: readonly MailBlock[];
  /** One sentence saying why this address received the mail (a footer.* string). */
  footer: string;
}

/**
 * A page of the web app. The base is the configured web URL only, never anything from the
 * request (Host, Origin, X-Forwarded-*), so a caller cannot make the mail point elsewhere.
 */
export function webPage(webUrl: string, path: string): string {
  return `${webUrl.replace(/\/+$/, "")}${path}`;
}

/** A web-app page carrying a one-time token (see webPage for where it may point). */
export function webLink(webUrl: string, path: string, token: string): string {
  return `${webPage(webUrl, path)}?token=${encodeURIComponent(token)}`;
}

/** Escapes text for HTML content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Lays a mail out as a multipart message: a plain-text part and an HTML part with the same
 * content. Every value is escaped in the HTML; links are the only attributes that carry data.
 */
export function renderMail(site: MailSite, to: Recipient, content: MailContent, expiresAt?: Date): MailMessage {
  const text = renderText(site, to, content);
  const html = renderHtml(site, to, content);
  const message = { to: to.email, subject: content.subject, text, html };
  return expiresAt ? { ...message, expiresAt } : message;
}

/** "Hello Ada," in the recipient's language; the name is their own text, flattened to one line. */
function greeting(to: Recipient): string {
  const name = (to.name ?? "").replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
  return name ? translate(to.locale, "layout.greeting", { name }) : translate(to.locale, "layout.greetingNoName", {});
}

function renderText(site: MailSite, to: Recipient, content: MailContent): string {
  const locale = to.locale;
  const blocks = content.blocks.map((b) => {
    if ("paragraph" in b) return b.paragraph;
    if ("lines" in b) return b.lines.join("\n");
    if ("button" in b) return `${b.button}:\n${b.link}`;
    return b.note;
  });
  // "-- " on its own line is the signature separator mail clients recognise.
  return `${[greeting(to), ...blocks, `-- \n${content.footer}\n${translate(locale, "layout.automatic", { product: site.productName })}`].join("\n\n")}\n`;
}

const FONT = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
// Colours meet WCAG AA contrast on white: text 14.7:1, muted 7.6:1, brand blue 6.7:1 (and white on it).
const INK = "#1f2937";
const MUTED = "#4b5563";
const BRAND = "#1d4ed8";
const LINE = "#e5e7eb";
const P = `margin:0 0 16px;${FONT};font-size:16px;line-height:24px;color:${INK}`;

function blockHtml(locale: Locale, b: MailBlock): string {
  if ("paragraph" in b) return `<p style="${P}">${escapeHtml(b.paragraph)}</p>`;
  if ("lines" in b) {
    return `<p style="${P};padding:12px 16px;background-color:#f9fafb;border-left:4px solid #d1d5db">${b.lines.map(escapeHtml).join("<br>")}</p>`;
  }
  if ("button" in b) {
    const href = escapeHtml(b.link);
    return (
      `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 16px"><tr>` +
      `<td style="border-radius:6px;background-color:${BRAND}">` +
      `<a href="${href}" style="display:inline-block;padding:12px 24px;${FONT};font-size:16px;font-weight:bold;line-height:24px;color:#ffffff;text-decoration:none;border-radius:6px">${escapeHtml(b.button)}</a>` +
      `</td></tr></table>` +
      `<p style="${P};font-size:14px;line-height:20px;color:${MUTED}">${escapeHtml(translate(locale, "layout.buttonFallback", {}))}<br>` +
      `<a href="${href}" style="color:${BRAND};word-break:break-all">${escapeHtml(b.link)}</a></p>`
    );
  }
  return `<p style="${P};font-size:14px;line-height:20px;color:${MUTED}">${escapeHtml(b.note)}</p>`;
}

function renderHtml(site: MailSite, to: Recipient, content: MailContent): string {
  const locale = to.locale;
  const product = escapeHtml(site.productName);
  const first = content.blocks.find((b): b is { paragraph: string } => "paragraph" in b);
  return [
    `<!doctype html>`,
    `<html lang="${locale}" dir="ltr"><head><meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light">`,
    `<title>${escapeHtml(content.subject)}</title></head>`,
    `<body style="margin:0;padding:0;background-color:#f3f4f6">`,
    // The preview line mail clients show next to the subject; hidden in the body itself.
    first ? `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${escapeHtml(first.paragraph)}</div>` : "",
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6"><tr><td align="center" style="padding:24px 12px">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:560px;background-color:#ffffff;border:1px solid ${LINE};border-radius:8px">`,
    `<tr><td style="padding:20px 32px;border-bottom:1px solid ${LINE};${FONT};font-size:20px;font-weight:bold;line-height:28px;color:${BRAND}">${product}</td></tr>`,
    `<tr><td style="padding:32px 32px 16px">`,
    `<h1 style="margin:0 0 16px;${FONT};font-size:22px;line-height:30px;color:#111827">${escapeHtml(content.subject)}</h1>`,
    `<p style="${P}">${escapeHtml(greeting(to))}</p>`,
    ...content.blocks.map((b) => blockHtml(locale, b)),
    `</td></tr>`,
    `<tr><td style="padding:16px 32px 24px;border-top:1px solid ${LINE};${FONT};font-size:13px;line-height:20px;color:${MUTED}">`,
    `${escapeHtml(content.footer)}<br>${escapeHtml(translate(locale, "layout.automatic", { product: site.productName }))}`,
    `</td></tr></table>`,
    `</td></tr></table></body></html>`,
  ].join("\n");
}
