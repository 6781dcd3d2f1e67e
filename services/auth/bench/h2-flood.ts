/**
 * `tsx services/auth/bench/h2-flood.ts` — the HTTP/2 stalled-stream attack,
 * against the real entry point: C connections each open S streams that announce a request body
 * and never send it. Prints the server's resident memory before, at its peak and at the end, and
 * what the server did to the streams and connections. Not a test: a measurement.
 *
 * Environment: DATABASE_URL (a migrated database; required), FLOOD_CONNECTIONS (10),
 * FLOOD_STREAMS (1000), FLOOD_SECONDS (how long to watch, 45). The server runs with its
 * default limits unless TESSERA_* variables are set here.
 */
import { readFileSync } from "node:fs";
import { startMain, waitForLogLine } from "../test/child.js";
import { ERROR, FRAME, errorCode, rawH2, stalledCallHeaders, type RawH2 } from "../test/h2-frames.js";

const connections = Number(process.env.FLOOD_CONNECTIONS ?? 10);
const streams = Number(process.env.FLOOD_STREAMS ?? 1000);
const watchSeconds = Number(process.env.FLOOD_SECONDS ?? 45);
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("error: DATABASE_URL is not set");
  process.exit(1);
}

const passThrough = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("TESSERA_")) as [string, string][]);
// LOG_LEVEL info: the "listening" line gives the port.
const server = startMain({ TESSERA_ENV: "test", LOG_LEVEL: "info", ...passThrough, DATABASE_URL: databaseUrl, TESSERA_AUTH_PORT: "0" });
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.child.pid}/status`, "utf8"))![1]) / 1024;

try {
  const listening = await waitForLogLine(server, (l) => String(l.msg).includes("listening"));
  const port = Number(new URL(String(listening.url)).port);
  // Warm up: one real call, so the baseline includes a used server.
  await fetch(`${String(listening.url)}/.well-known/jwks.json`);
  const before = rssMb();

  const conns: RawH2[] = [];
  for (let c = 0; c < connections; c++) {
    const raw = await rawH2(port);
    for (let i = 0; i < streams; i++) raw.headers(2 * i + 1, stalledCallHeaders("/tessera.auth.v1.AuthService/Register", "application/json", 1000));
    conns.push(raw);
  }
  let peak = before;
  let closed = 0;
  for (const raw of conns) void raw.closed.then(() => closed++);
  const started = Date.now();
  while (Date.now() - started < watchSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    peak = Math.max(peak, rssMb());
  }
  const frames = conns.flatMap((r) => r.frames);
  const resets = (code: number) => frames.filter((f) => f.type === FRAME.RST_STREAM && errorCode(f) === code).length;
  const goaways = frames.filter((f) => f.type === FRAME.GOAWAY).map(errorCode);
  console.log(
    JSON.stringify(
      {
        connections,
        streamsPerConnection: streams,
        watchedSeconds: watchSeconds,
        rssMb: { before: Math.round(before), peak: Math.round(peak), end: Math.round(rssMb()) },
        refusedStreams: resets(ERROR.REFUSED_STREAM),
        cancelledStreams: resets(ERROR.CANCEL),
        goaways: goaways.length,
        goawayCodes: [...new Set(goaways)],
        connectionsClosedByServer: closed,
      },
      null,
      2,
    ),
  );
  for (const raw of conns) raw.socket.destroy();
} finally {
  server.child.kill("SIGKILL");
}
