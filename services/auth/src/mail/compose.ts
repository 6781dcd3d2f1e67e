import type { MailMessage } from "./outbox.js";

/** The product's name in mail. A constant for now; it becomes configuration with the branded templates. */
export const PRODUCT_NAME = "Tessera";

/**
 * One part of a mail, in reading order: a paragraph, lines kept together (details such as
 * device and time), a link with its label, or a closing note (greyed in HTML).
 */
export type MailBlock = string | { lines: readonly string[] } | { label: string; link: string } | { note: string };

/**
 * A page of the web app. The base is the configured web URL only, never anything from the
 * request (Host, Origin, X-Forwarded-*), so a caller cannot make the mail point elsewhere.
 */
export function webPage(webUrl: string, path: string): string {
  return `${webUrl.replace(/\/+$/, "")}${path}`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function blockText(block: MailBlock): string {
  if (typeof block === "string") return block;
  if ("lines" in block) return block.lines.join("\n");
  if ("link" in block) return `${block.label}:\n${block.link}`;
  return block.note;
}

function blockHtml(block: MailBlock): string {
  if (typeof block === "string") return `<p>${escapeHtml(block)}</p>`;
  if ("lines" in block) return `<p>${block.lines.map(escapeHtml).join("<br>")}</p>`;
  if ("link" in block) return `<p><a href="${escapeHtml(block.link)}">${escapeHtml(block.label)}</a></p>`;
  return `<p style="color:#555">${escapeHtml(block.note)}</p>`;
}

/** A mail with the same content as plain text and as simple HTML (every value escaped). */
export function composeMail(to: string, subject: string, blocks: readonly MailBlock[], expiresAt?: Date): MailMessage {
  const text = `${blocks.map(blockText).join("\n\n")}\n`;
  const html = `<!doctype html><html><body style="font-family:sans-serif">${blocks.map(blockHtml).join("")}</body></html>`;
  return expiresAt ? { to, subject, text, html, expiresAt } : { to, subject, text, html };
}
