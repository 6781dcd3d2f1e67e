// The web server's calls to the auth service carry a traceparent derived from the browser
// request's: same trace, the web request's own span as parent; a new trace otherwise.
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTesseraClients, type TesseraClients } from "../lib/server/rpc.js";
import { withRequestTrace } from "../lib/server/request-trace.js";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID = "00f067aa0ba902b7";
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;

describe("rpc.ts's transport", () => {
  // A stand-in auth service (h2c, as the transport speaks): records each call's headers and
  // answers every unary Connect call with an empty message.
  const seen: http2.IncomingHttpHeaders[] = [];
  let server: http2.Http2Server;
  const sessions = new Set<http2.ServerHttp2Session>();
  let clients: TesseraClients;

  beforeAll(async () => {
    server = http2.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/proto" }).end());
    });
    server.on("session", (session) => sessions.add(session));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    clients = createTesseraClients({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, serviceCredential: "x".repeat(32) });
  });
  afterAll(async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const session of sessions) session.destroy(); // the client keeps its connection open
    await closed;
  });

  /** The trace headers the stand-in saw on the calls made by `fn`. */
  async function callsOf(fn: () => Promise<unknown>): Promise<{ traceparent: string; tracestate?: string }[]> {
    const from = seen.length;
    await fn();
    return seen.slice(from).map((h) => ({ traceparent: String(h.traceparent), tracestate: h.tracestate as string | undefined }));
  }

  it("sends the incoming request's trace with the web request's own span as the parent, the same for each call of the request", async () => {
    const calls = await callsOf(() =>
      withRequestTrace({ traceparent: `00-${TRACE_ID}-${PARENT_ID}-01`, tracestate: "acme=opaque" }, async () => {
        await clients.auth.getJwks({});
        await clients.user.getMe({});
      }),
    );
    expect(calls).toHaveLength(2);
    const [first, second] = calls.map((c) => TRACEPARENT.exec(c.traceparent));
    expect(first?.[1]).toBe(TRACE_ID);
    expect(first?.[2]).not.toBe(PARENT_ID);
    expect(second?.[1]).toBe(TRACE_ID);
    expect(second?.[2]).toBe(first?.[2]);
    expect(calls.map((c) => c.tracestate)).toEqual(["acme=opaque", "acme=opaque"]);
  });

  it("starts a new trace for a request without (or with a malformed) traceparent, and outside any request", async () => {
    const traces = new Set<string>();
    for (const headers of [{}, { traceparent: `00-${TRACE_ID.toUpperCase()}-${PARENT_ID}-01`, tracestate: "acme=opaque" }]) {
      const [call] = await callsOf(() => withRequestTrace(headers, () => clients.auth.getJwks({})));
      const m = TRACEPARENT.exec(call!.traceparent);
      expect(m, call!.traceparent).not.toBeNull();
      expect(m![1]).not.toBe(TRACE_ID);
      expect(call!.tracestate).toBeUndefined();
      traces.add(m![1]!);
    }
    const [outside] = await callsOf(() => clients.auth.getJwks({}));
    traces.add(TRACEPARENT.exec(outside!.traceparent)![1]!);
    expect(traces.size).toBe(3);
  });
});
