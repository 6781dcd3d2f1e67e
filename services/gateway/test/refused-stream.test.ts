/**
 * An upstream call whose HTTP/2 stream is refused (REFUSED_STREAM: not processed, RFC 9113 §8.7)
 * is sent once more, so a GOAWAY racing a call on the shared connection is not a 500.
 */
import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { connectNodeAdapter, createGrpcTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { Health, HealthCheckResponse_ServingStatus as ServingStatus } from "../../../gen/health/v1/health_pb.js";
import { HealthStatus, registerHealth } from "../../auth/src/grpc/health.js";
import { isRefusedStream, retryRefusedStream } from "../src/refused-stream.js";

let server: http2.Http2Server | undefined;
const sessions = new Set<http2.ServerHttp2Session>();
afterEach(async () => {
  // The client keeps its HTTP/2 session open; close() would wait for it.
  for (const s of sessions) s.destroy();
  sessions.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** An h2c server whose first `refuse` streams are reset with REFUSED_STREAM; it counts every stream. */
async function refusingServer(refuse: number): Promise<{ url: string; streams: () => number }> {
  const rpc = connectNodeAdapter({ routes: (router) => registerHealth(router, new HealthStatus()) });
  let streams = 0;
  server = http2.createServer((req, res) => {
    if (streams++ < refuse) req.stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    else rpc(req, res);
  });
  server.on("session", (session) => sessions.add(session));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, streams: () => streams };
}

describe("retryRefusedStream", () => {
  it("sends a refused unary call once more, and it succeeds", async () => {
    const s = await refusingServer(1);
    const health = createClient(Health, createGrpcTransport({ baseUrl: s.url, interceptors: [retryRefusedStream] }));
    expect((await health.check({ service: "" })).status).toBe(ServingStatus.SERVING);
    expect(s.streams()).toBe(2);
  });

  it("retries once only: a second refusal is the caller's error", async () => {
    const s = await refusingServer(2);
    const health = createClient(Health, createGrpcTransport({ baseUrl: s.url, interceptors: [retryRefusedStream] }));
    const err = await health.check({ service: "" }).catch((e: unknown) => ConnectError.from(e));
    expect(isRefusedStream(err)).toBe(true);
    expect(s.streams()).toBe(2);
  });

  it("does not retry other failures", async () => {
    const s = await refusingServer(0);
    const health = createClient(Health, createGrpcTransport({ baseUrl: s.url, interceptors: [retryRefusedStream] }));
    const err = await health.check({ service: "no-such-service" }).catch((e: unknown) => ConnectError.from(e));
    expect(err).toMatchObject({ code: Code.NotFound });
    expect(isRefusedStream(err)).toBe(false);
    expect(s.streams()).toBe(1);
  });
});
