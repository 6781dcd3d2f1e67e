/** The gateway's entry point: it says its mode first, fails closed without one, and stops in order. */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT, jsonLines, start, waitForLogLine, type Running } from "../../auth/test/child.js";

const MAIN = join(REPO_ROOT, "services/gateway/src/main.ts");
const startGatewayMain = (env: Record<string, string>) => start(process.execPath, ["--import", "tsx", MAIN], { env: { PATH: process.env.PATH ?? "", METRICS_ADDRESS: "127.0.0.1:0", ...env } });

describe("the gateway entry point (node --import tsx services/gateway/src/main.ts)", () => {
  let running: Running | undefined;
  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill("SIGKILL");
  });

  it("refuses to start with TESSERA_ENV unset: production does not take the development credential", async () => {
    running = startGatewayMain({ GATEWAY_PORT: "0" });
    const done = await running.exited;
    expect(done.code).toBe(1);
    expect(done.stderr).toContain("TESSERA_SERVICE_CREDENTIAL: the development credential is refused in production");
  });

  it("logs its mode first, then listening; on SIGTERM logs shutting down and stopped, last", async () => {
    running = startGatewayMain({ TESSERA_ENV: "test", GATEWAY_PORT: "0", GATEWAY_DRAIN_SECONDS: "0", LOG_LEVEL: "info" });
    await waitForLogLine(running, (l) => l.msg === "gateway listening");
    running.child.kill("SIGTERM");
    const done = await running.exited;
    expect(done.code, `${done.signal}\n${done.stdout}\n${done.stderr}`).toBe(0);
    const messages = jsonLines(done.stdout).map((l) => String(l.msg));
    expect(messages[0]).toBe("mode: test");
    expect(messages[1]).toBe("gateway listening");
    expect(messages.slice(2).map((m) => m.split(":")[0])).toEqual(["shutting down", "stopped"]);
  });
});
