import type { ServerResponse } from "node:http";
import { isLoopback as isLoopbackPeer } from "../../../shared/client-ip.js";
import type { PrismaClient } from "../db/client.js";
import { sendJson, type HttpRequest, type HttpResponse, type HttpRoute } from "./http-routes.js";

/** Most messages GET /dev/mail returns. */
export const DEV_MAIL_LIMIT = 50;

/** The mail HTML may come from anywhere a template interpolates: no scripts, no remote loads. */
export const DEV_MAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * Whether a socket's peer address is this machine's loopback. Only the socket's own address
 * counts: a forwarded header is the client's word, and the mailbox holds sign-in links.
 */
export { isLoopbackPeer };

/** Answers 404 (as if the route did not exist) unless the request comes from loopback. */
function refuseRemote(req: HttpRequest, res: HttpResponse): boolean {
  if (isLoopbackPeer(req.socket.remoteAddress)) return false;
  sendJson(res, 404, { code: "not_found", message: "no such route" }); // the fallback's own answer
  return true;
}

/**
 * Development mailbox over HTTP (never registered in production), for loopback clients only:
 * a development service bound to another interface (TESSERA_AUTH_HOST=0.0.0.0) must not hand
 * every reset and verification link to whoever can reach it on the network.
 *   GET /dev/mail[?to=<email>]  → { messages: [{ id, outboxId, to, subject, text, html, createdAt }] }, newest first
 *   GET /dev/mail/<id>          → that message's HTML
 */
export function devMailboxRoutes(db: PrismaClient): HttpRoute[] {
  return [
    {
      method: "GET",
      path: /^\/dev\/mail\/?$/,
      route: "/dev/mail",
      async handle(req, res, _match, url) {
        if (refuseRemote(req, res)) return;
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
      route: "/dev/mail/{id}",
      async handle(req, res, match) {
        if (refuseRemote(req, res)) return;
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
