import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, testConfig, type TestServer } from "../harness.js";
import { expectedCheckLines, runClient } from "./example-client.js";

/**
 * The Python example client (examples/python) as a user runs it: stubs generated from proto/ by
 * generate.sh with Debian's protoc and grpc_python_plugin, check.py run by Debian's python3
 * (python3-grpcio, python3-protobuf, python3-jwt) against a real service over gRPC.
 */
const EXAMPLE = fileURLToPath(new URL("../../../../examples/python/", import.meta.url));
const GOOGLE_PROTOS = fileURLToPath(new URL("../../../../node_modules/google-proto-files/", import.meta.url));
const PYTHON = "/usr/bin/python3";
const MODULES = ["grpc", "google.protobuf", "jwt", "cryptography"];

function pythonSkipReason(): string | undefined {
  if (!existsSync("/usr/bin/protoc")) return "no /usr/bin/protoc: apt-get install protobuf-compiler";
  if (!existsSync("/usr/bin/grpc_python_plugin")) return "no grpc_python_plugin: apt-get install protobuf-compiler-grpc";
  if (!existsSync(join(GOOGLE_PROTOS, "google/rpc/status.proto"))) return "google-proto-files is not installed: npm ci";
  try {
    execFileSync(PYTHON, ["-c", `import ${MODULES.join(", ")}`], { stdio: "ignore" });
  } catch {
    return `${PYTHON} cannot import ${MODULES.join(", ")}: apt-get install python3-grpcio python3-protobuf python3-jwt python3-cryptography`;
  }
  return undefined;
}

const skipReason = pythonSkipReason();
// CI installs the toolchain (.ci/run): there, a missing one is a failure, not a skip.
if (skipReason && process.env.CI) throw new Error(skipReason);

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runClient(EXAMPLE, cmd, args, env);

describe.skipIf(!!skipReason)(`Python client${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let server: TestServer;
  let stubs: string;

  beforeAll(async () => {
    // Grace 0: check.py presents the spent refresh token at once and expects it refused.
    server = await startTestServer({ TESSERA_REFRESH_GRACE: "0" });
    stubs = await mkdtemp(join(tmpdir(), "tessera-python-"));
    const generated = await run("./generate.sh", [stubs], {});
    expect(generated, generated.stderr).toMatchObject({ code: 0 });
  });
  afterAll(async () => {
    await server?.stop();
    if (stubs) await rm(stubs, { recursive: true, force: true });
  });

  it("check.py passes every check against the running service over gRPC", async () => {
    const { issuer, audience } = testConfig();
    const result = await run(PYTHON, ["check.py"], {
      PYTHONPATH: `${stubs}:${EXAMPLE}`,
      PYTHONDONTWRITEBYTECODE: "1",
      TESSERA_URL: new URL(server.baseUrl).host,
      TESSERA_ISSUER: issuer,
      TESSERA_AUDIENCE: audience,
      TESSERA_REFRESH_GRACE: "0",
    });
    expect(result.stdout.trim().split("\n"), result.stderr).toEqual(expectedCheckLines(result.stdout, "python.", issuer, audience));
    expect(result.code).toBe(0);
  });
});
