import type { ServerResponse } from "node:http";
import type { PrismaClient } from "../db/client.js";
import { sendJson, type HttpRoute } from "../server/http-routes.js";

/** Most messages GET /dev/mail returns. */
export const DEV_MAIL_LIMIT = 50;

/** The mail HTML may come from anywhere a template interpolates: no scripts, no remote loads. */
export const DEV_MAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * Development mailbox over HTTP (never registered in production):
 *   GET /dev/mail[?to=<email>]  → { messages: [{ id, outboxId, to, subject, text, html, createdAt }] }, newest first
 *   GET /dev/mail/<id>          → that message's HTML
 */
export function devMailboxRoutes(db: PrismaClient): HttpRoute[] {
  return [
    {
      method: "GET",
      path: /^\/dev\/mail\/?$/,
      async handle(_req, res, _match, url) {
        const to = url.searchParams.get("to")?.trim().toLowerCase();
        const rows = await db.devMail.findMany({
          where: to ? { to } : {},
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: DEV_MAIL_LIMIT,
        });
        sendJson(
          res,
          200,
          {
            messages: rows.map((m) => ({
              id: m.id,
              outboxId: m.outboxId,
              to: m.to,
              subject: m.subject,
              text: m.text,
              html: m.html,
              createdAt: m.createdAt.toISOString(),
            })),
          },
          { "cache-control": "no-store" },
        );
      },
    },
    {
      method: "GET",
      path: /^\/dev\/mail\/([A-Za-z0-9-]{1,64})$/,
      async handle(_req, res, match) {
        const message = await db.devMail.findUnique({ where: { id: match[1]! } });
        if (!message) {
          sendJson(res, 404, { code: "not_found", message: "no such message" });
          return;
        }
        const r = res as unknown as ServerResponse;
        r.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "content-length": Buffer.byteLength(message.html),
          "content-security-policy": DEV_MAIL_CSP,
          "x-content-type-options": "nosniff",
          "referrer-policy": "no-referrer",
          "cache-control": "no-store",
        });
        r.end(message.html);
      },
    },
  ];
}
