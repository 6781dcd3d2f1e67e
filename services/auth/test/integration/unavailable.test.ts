/**
 * Database outage: with PostgreSQL unreachable, calls answer UNAVAILABLE (retryable, no
 * internals, nothing half-done), and the service recovers by itself when it comes back.
 */
import net from "node:net";
import { Code, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { startApp, type App } from "../../src/server/app.js";
import { GOOD_PASSWORD, memoryLogger, testConfig, uniqueEmail } from "../harness.js";
import { connectErrorOf } from "../rpc-failure.js";

/** A TCP relay to the database that can be cut (every connection dropped) and restored. */
class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  constructor(private readonly target: { host: string; port: number }) {}

  async listen(port: number): Promise<number> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const [a, b] of [[client, upstream], [upstream, client]] as const) {
        this.sockets.add(a);
        a.once("close", () => this.sockets.delete(a));
        a.on("error", () => b.destroy());
        a.once("close", () => b.destroy());
        a.pipe(b);
      }
    });
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
    this.server = server;
    return (server.address() as net.AddressInfo).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

describe("database outage", () => {
  const databaseUrl = new URL(inject("databaseUrl"));
  const proxy = new TcpProxy({ host: databaseUrl.hostname, port: Number(databaseUrl.port || 5432) });
  const { logger, lines } = memoryLogger();
  const registered = { email: uniqueEmail("outage"), password: GOOD_PASSWORD };
  const duringOutage = uniqueEmail("outage-new");
  let proxyPort: number;
  let app: App;
  let connect: Client<typeof AuthService>;
  let grpc: Client<typeof AuthService>;

  beforeAll(async () => {
    proxyPort = await proxy.listen(0);
    const viaProxy = new URL(databaseUrl);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxyPort);
    app = await startApp(testConfig(), viaProxy.toString(), logger);
    const baseUrl = `http://127.0.0.1:${app.port}`;
    connect = createClient(AuthService, createConnectTransport({ baseUrl, httpVersion: "1.1" }));
    grpc = createClient(AuthService, createGrpcTransport({ baseUrl }));
  });
  afterAll(async () => {
    await app?.stop();
    await proxy.cut();
  });

  it("works while the database is reachable", async () => {
    const reg = await connect.register(registered);
    expect(reg.user?.email).toBe(registered.email);
  });

  it("answers UNAVAILABLE with a stable reason and no internals once it is gone", async () => {
    await proxy.cut();
    const attempts = [
      ["Login over Connect", () => connect.login(registered)],
      ["Login over gRPC", () => grpc.login(registered)],
      ["Register over Connect", () => connect.register({ email: duringOutage, password: GOOD_PASSWORD })],
    ] as const;
    for (const [name, call] of attempts) {
      const err = await connectErrorOf(call());
      expect(err.code, name).toBe(Code.Unavailable);
      expect(err.findDetails(ErrorDetailSchema)[0]?.reason, name).toBe("server.database_unavailable");
      expect(err.rawMessage, name).toBe("service temporarily unavailable, retry later");
      const exposed = JSON.stringify({ message: err.message, metadata: [...err.metadata], details: err.details });
      expect(exposed, name).not.toMatch(/ECONN|127\.0\.0\.1|postgres|prisma|\bat \S+ \(|\.ts:\d+/i);
      expect(exposed, name).not.toContain(String(proxyPort));
    }
    // The operator, unlike the client, is told what went wrong.
    const warnings = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reason === "server.database_unavailable");
    expect(warnings.length).toBeGreaterThanOrEqual(attempts.length);
    expect(warnings[0]).toMatchObject({ level: 40, code: "Unavailable", msg: "rpc failed" });
    for (const w of warnings) expect(String(w.err)).toMatch(/connection terminated|can.t reach database|ECONNREFUSED/i);
  });

  it("recovers when the database is back, with nothing left over from the outage", async () => {
    expect(await proxy.listen(proxyPort)).toBe(proxyPort);
    const login = await connect.login(registered);
    expect(login.user?.email).toBe(registered.email);
    expect((await grpc.login(registered)).user?.id).toBe(login.user?.id);

    const err = await connectErrorOf(connect.login({ email: duringOutage, password: GOOD_PASSWORD }));
    expect(err.code).toBe(Code.Unauthenticated);
    const db = new pg.Client({ connectionString: databaseUrl.toString() });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT 1 FROM "User" WHERE email = $1`, [duringOutage]);
      expect(rows).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
