import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { testConfig } from "../harness.js";
import { expectedCheckLines, liveServiceAndFolder, runClient, suiteName } from "./example-client.js";

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
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runClient(EXAMPLE, cmd, args, env);

describe.skipIf(!!skipReason)(suiteName("Python client", skipReason), () => {
  const live = liveServiceAndFolder("tessera-python-", (stubs) => run("./generate.sh", [stubs], {}));

  it("check.py passes every check against the running service over gRPC", async () => {
    const { issuer, audience } = testConfig();
    const result = await run(PYTHON, ["check.py"], {
      PYTHONPATH: `${live.folder()}:${EXAMPLE}`,
      PYTHONDONTWRITEBYTECODE: "1",
      TESSERA_URL: new URL(live.server().baseUrl).host,
      TESSERA_ISSUER: issuer,
      TESSERA_AUDIENCE: audience,
      TESSERA_REFRESH_GRACE: "0",
    });
    expect(result.stdout.trim().split("\n"), result.stderr).toEqual(expectedCheckLines(result.stdout, "python.", issuer, audience));
    expect(result.code).toBe(0);
  });
});
