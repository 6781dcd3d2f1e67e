import { createContextKey, createContextValues, type ContextValues, type HandlerContext } from "@connectrpc/connect";
import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { isIP } from "node:net";
import { SERVICE_CREDENTIAL_HEADER } from "../adapter/service-credential.js";

/** Who is calling, as seen on the connection: recorded on sessions and audit events. */
export interface ClientInfo {
  ipAddress: string;
  userAgent: string;
}

const USER_AGENT_MAX = 512;

export const kClientInfo = createContextKey<ClientInfo>({ ipAddress: "", userAgent: "" }, { description: "client info" });

/**
 * Context values for one request. The client IP is the socket's peer, except for callers that
 * present the service credential (the REST gateway, the web server): they relay the real
 * client's address in `x-forwarded-for` (one address), which nobody else can set.
 */
export function contextValuesFor(isServiceCredential: (presented: string | null) => boolean) {
  return (req: IncomingMessage | Http2ServerRequest): ContextValues => {
    const ua = req.headers["user-agent"];
    const raw = req.socket?.remoteAddress ?? "";
    let ipAddress = raw.startsWith("::ffff:") ? raw.slice(7) : raw; // IPv4 on a dual-stack socket
    const credential = req.headers[SERVICE_CREDENTIAL_HEADER];
    const forwarded = req.headers["x-forwarded-for"];
    if (typeof credential === "string" && typeof forwarded === "string" && isIP(forwarded.trim()) && isServiceCredential(credential)) {
      ipAddress = forwarded.trim();
    }
    return createContextValues().set(kClientInfo, {
      ipAddress,
      userAgent: (typeof ua === "string" ? ua : "").slice(0, USER_AGENT_MAX),
    });
  };
}

/** The calling client's IP address and user agent. */
export function clientInfo(ctx: HandlerContext): ClientInfo {
  return ctx.values.get(kClientInfo);
}
