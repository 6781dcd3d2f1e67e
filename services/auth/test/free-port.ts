import { randomInt } from "node:crypto";
import { createServer } from "node:net";

// Linux gives outgoing connections local ports from 32768–60999 (ip_local_port_range). A port
// found free by binding port 0 lies in that range, so between the check and the moment a child
// process binds it (after a web build, a minute later) any outgoing connection of a parallel
// suite may take it: EADDRINUSE. Ports below the range are never handed out that way; only
// another explicit pick could collide, and the bind check below rules out a port in use.
const LOW = 20_000;
const HIGH = 32_000;

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A free TCP port on 127.0.0.1 that no outgoing connection will take before a server binds it. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = randomInt(LOW, HIGH);
    if (await canBind(port)) return port;
  }
  throw new Error(`no free port between ${LOW} and ${HIGH}`);
}
