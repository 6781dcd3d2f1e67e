// Typed clients for the auth service, for this server only. Every call carries the service
// credential (required by AdapterService; it also makes the auth service believe the browser's
// address relayed in x-forwarded-for). The credential never leaves this module's process.
// Every call also carries a W3C traceparent: a child of the browser request being handled
// (request-trace.ts), so the auth service's log lines and spans join that request's trace.
import "server-only";
import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { AdapterService } from "../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../gen/tessera/user/v1/user_service_pb.js";
import { webConfig } from "./config.js";
import { outgoingTraceHeaders } from "./request-trace.js";

export const SERVICE_CREDENTIAL_HEADER = "tessera-service-credential";

export interface TesseraClients {
  auth: Client<typeof AuthService>;
  user: Client<typeof UserService>;
  adapter: Client<typeof AdapterService>;
}

export function createTesseraClients(opts: { baseUrl: string; serviceCredential: string }): TesseraClients {
  const credential: Interceptor = (next) => (req) => {
    req.header.set(SERVICE_CREDENTIAL_HEADER, opts.serviceCredential);
    return next(req);
  };
  const trace: Interceptor = (next) => (req) => {
    for (const [name, value] of Object.entries(outgoingTraceHeaders())) req.header.set(name, value);
    return next(req);
  };
  const transport = createConnectTransport({
    baseUrl: opts.baseUrl,
    // One HTTP/2 connection for every call: the auth service caps connections per client
    // address (TESSERA_MAX_CONNECTIONS_PER_IP), and this server is one address for all its
    // users. Idle sessions are closed here before the service's idle timeout (60 s) would send
    // GOAWAY, so no call races a closing session.
    httpVersion: "2",
    idleConnectionTimeoutMs: 30_000,
    interceptors: [credential, trace],
  });
  return {
    auth: createClient(AuthService, transport),
    user: createClient(UserService, transport),
    adapter: createClient(AdapterService, transport),
  };
}

let clients: TesseraClients | undefined;
/** The process's clients, built on first use from webConfig(). */
export function tessera(): TesseraClients {
  if (!clients) {
    const cfg = webConfig();
    clients = createTesseraClients({ baseUrl: cfg.authUrl, serviceCredential: cfg.serviceCredential });
  }
  return clients;
}
