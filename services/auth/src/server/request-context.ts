import { createContextKey, createContextValues, type ContextValues, type HandlerContext } from "@connectrpc/connect";
import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";

/** Who is calling, as seen on the connection: recorded on sessions and audit events. */
export interface ClientInfo {
  ipAddress: string;
  userAgent: string;
}

const USER_AGENT_MAX = 512;

export const kClientInfo = createContextKey<ClientInfo>({ ipAddress: "", userAgent: "" }, { description: "client info" });

/** Context values for one request, taken from the socket (not from spoofable headers). */
export function contextValuesFor(req: IncomingMessage | Http2ServerRequest): ContextValues {
  const ua = req.headers["user-agent"];
  const raw = req.socket?.remoteAddress ?? "";
  return createContextValues().set(kClientInfo, {
    // IPv4 clients of a dual-stack socket show up as ::ffff:a.b.c.d.
    ipAddress: raw.startsWith("::ffff:") ? raw.slice(7) : raw,
    userAgent: (typeof ua === "string" ? ua : "").slice(0, USER_AGENT_MAX),
  });
}

/** The calling client's IP address and user agent. */
export function clientInfo(ctx: HandlerContext): ClientInfo {
  return ctx.values.get(kClientInfo);
}
