import { createContextValues, type ContextValues } from "@connectrpc/connect";
import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { isIP } from "node:net";
import { SERVICE_CREDENTIAL_HEADER } from "../adapter/service-credential.js";
import { currentServerSpan } from "../../../shared/server-span.js";
import { kClientInfo, kTrace } from "../rpc/context.js";

const USER_AGENT_MAX = 512;

/**
 * Context values for one request. The client IP is the socket's peer, except for callers that
 * present the service credential (the REST gateway, the web server): they relay the real
 * client's address in `x-forwarded-for` (one address), which nobody else can set. The trace is
 * the one request-trace.ts started for this request.
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
    return createContextValues()
      .set(kClientInfo, {
        ipAddress,
        userAgent: (typeof ua === "string" ? ua : "").slice(0, USER_AGENT_MAX),
      })
      .set(kTrace, currentServerSpan());
  };
}
