import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Code, ConnectError, createClient, createRouterTransport, type ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterEach, describe, expect, it } from "vitest";
import { Health } from "../../../../gen/health/v1/health_pb.js";
import { HealthStatus, registerHealth, ServingStatus } from "./health.js";

/** The slice of grpc-js's dynamically generated Health client the tests use. */
interface GrpcJsHealthClient extends grpc.Client {
  check(req: { service: string }, cb: (err: grpc.ServiceError | null, res: { status: string }) => void): void;
  watch(req: { service: string }): grpc.ClientReadableStream<{ status: string }>;
}

function clientFor(health: HealthStatus) {
  return createClient(Health, createRouterTransport((router) => registerHealth(router, health)));
}

describe("HealthStatus", () => {
  it("starts with the whole server SERVING and ignores set() after shutdown", () => {
    const health = new HealthStatus();
    expect(health.get("")).toBe(ServingStatus.SERVING);
    health.set("tessera.auth.v1.AuthService", ServingStatus.SERVING);
    health.shutdown();
    expect(health.entries()).toEqual([
      ["", ServingStatus.NOT_SERVING],
      ["tessera.auth.v1.AuthService", ServingStatus.NOT_SERVING],
    ]);
    health.set("", ServingStatus.SERVING);
    expect(health.get("")).toBe(ServingStatus.NOT_SERVING);
  });

  it("ends watch() when the signal aborts", async () => {
    const health = new HealthStatus();
    const abort = new AbortController();
    const watch = health.watch("", abort.signal);
    expect((await watch.next()).value).toBe(ServingStatus.SERVING);
    const pending = watch.next();
    abort.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it("keeps only the latest status for a slow watcher", async () => {
    const health = new HealthStatus();
    const watch = health.watch("", new AbortController().signal);
    await watch.next();
    health.set("", ServingStatus.NOT_SERVING);
    health.set("", ServingStatus.UNKNOWN);
    expect((await watch.next()).value).toBe(ServingStatus.UNKNOWN);
    await watch.return();
  });
});

describe("grpc.health.v1.Health handlers", () => {
  it("Check reports known services and NOT_FOUND for unknown ones", async () => {
    const health = new HealthStatus();
    health.set("tessera.auth.v1.AuthService", ServingStatus.NOT_SERVING);
    const client = clientFor(health);
    expect((await client.check({})).status).toBe(ServingStatus.SERVING);
    expect((await client.check({ service: "tessera.auth.v1.AuthService" })).status).toBe(ServingStatus.NOT_SERVING);
    const err = await client.check({ service: "nope" }).catch((e: unknown) => ConnectError.from(e));
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe(Code.NotFound);
  });

  it("List returns every status", async () => {
    const health = new HealthStatus();
    health.set("a", ServingStatus.NOT_SERVING);
    const { statuses } = await clientFor(health).list({});
    expect(statuses[""]?.status).toBe(ServingStatus.SERVING);
    expect(statuses["a"]?.status).toBe(ServingStatus.NOT_SERVING);
  });

  it("Watch sends SERVICE_UNKNOWN without ending, then changes, until cancelled", async () => {
    const health = new HealthStatus();
    const abort = new AbortController();
    const seen: ServingStatus[] = [];
    const done = (async () => {
      for await (const res of clientFor(health).watch({ service: "late" }, { signal: abort.signal })) {
        seen.push(res.status);
        if (seen.length === 1) health.set("late", ServingStatus.SERVING);
        if (seen.length === 2) abort.abort();
      }
    })();
    const err = await done.then(() => undefined, (e: unknown) => ConnectError.from(e));
    expect(seen).toEqual([ServingStatus.SERVICE_UNKNOWN, ServingStatus.SERVING]);
    expect(err?.code).toBe(Code.Canceled);
  });

  it("Watch ends cleanly after shutdown() with a final NOT_SERVING", async () => {
    const health = new HealthStatus();
    const seen: ServingStatus[] = [];
    for await (const res of clientFor(health).watch({})) {
      seen.push(res.status);
      if (seen.length === 1) health.shutdown();
    }
    expect(seen).toEqual([ServingStatus.SERVING, ServingStatus.NOT_SERVING]);
  });
});

describe("over a real HTTP/2 server with @grpc/grpc-js", () => {
  const healthProto = fileURLToPath(
    new URL("../../../../node_modules/grpc-health-check/proto/health/v1/health.proto", import.meta.url),
  );
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => cleanup?.());

  async function start(health: HealthStatus) {
    const routes = (router: ConnectRouter) => registerHealth(router, health);
    const server = http2.createServer(connectNodeAdapter({ routes }));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const pkg = protoLoader.loadSync(healthProto, { enums: String });
    const loaded = grpc.loadPackageDefinition(pkg) as any; // proto-loader output is untyped
    const client: GrpcJsHealthClient = new loaded.grpc.health.v1.Health(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    cleanup = async () => {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    };
    return client;
  }

  it("Check returns SERVING", async () => {
    const client = await start(new HealthStatus());
    const res = await new Promise<{ status: string }>((resolve, reject) =>
      client.check({ service: "" }, (err, r) => (err ? reject(err) : resolve(r))),
    );
    expect(res.status).toBe("SERVING");
  });

  it("shutdown() ends an open Watch so the server can close", async () => {
    const health = new HealthStatus();
    const client = await start(health);
    const call = client.watch({ service: "" });
    const seen: string[] = [];
    const status = new Promise<grpc.StatusObject>((resolve) => call.on("status", resolve));
    call.on("data", (r: { status: string }) => {
      seen.push(r.status);
      if (seen.length === 1) health.shutdown();
    });
    expect((await status).code).toBe(grpc.status.OK);
    expect(seen).toEqual(["SERVING", "NOT_SERVING"]);
  });
});
