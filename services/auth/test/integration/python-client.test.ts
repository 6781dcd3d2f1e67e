import { describe, expect, it } from "vitest";
import { testConfig } from "../harness.js";
import {
  PYTHON,
  PYTHON_EXAMPLE as EXAMPLE,
  pythonSkipReason,
  expectedCheckLines,
  expectedTotpSignInLines,
  liveServiceAndFolder,
  runClient,
  signedInSession,
  signInEnv,
  suiteName,
  totpAccount,
  wrongTotpCode,
} from "./example-client.js";

/**
 * The Python example client (examples/python) as a user runs it: stubs generated from proto/ by
 * generate.sh with Debian's protoc and grpc_python_plugin, check.py run by Debian's python3
 * (python3-grpcio, python3-protobuf, python3-jwt) against a real service over gRPC.
 */
const skipReason = pythonSkipReason();
const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv) => runClient(EXAMPLE, cmd, args, env);

describe.skipIf(!!skipReason)(suiteName("Python client", skipReason), () => {
  const live = liveServiceAndFolder("tessera-python-", (stubs) => run("./generate.sh", [stubs], {}));
  const { issuer, audience } = testConfig();
  const check = (env: Record<string, string> = {}) =>
    run(PYTHON, ["check.py"], {
      PYTHONPATH: `${live.folder()}:${EXAMPLE}`,
      PYTHONDONTWRITEBYTECODE: "1",
      TESSERA_URL: new URL(live.server().baseUrl).host,
      TESSERA_ISSUER: issuer,
      TESSERA_AUDIENCE: audience,
      TESSERA_REFRESH_GRACE: "0",
      ...env,
    });

  it("check.py passes every check against the running service over gRPC", async () => {
    const result = await check();
    expect(result.stdout.trim().split("\n"), result.stderr).toEqual(expectedCheckLines(result.stdout, "python.", issuer, audience));
    expect(result.code).toBe(0);
  });

  it("totp.py computes RFC 6238's SHA-1 test vectors (its doctest)", async () => {
    const result = await run(PYTHON, ["-m", "doctest", "-v", "totp.py"], { PYTHONDONTWRITEBYTECODE: "1" });
    expect(result.stdout, result.stderr).toMatch(/^3 passed and 0 failed\.$/m);
    expect(result.code).toBe(0);
  });

  it("signs in to an account with an authenticator app: the password, then a TOTP code it computes from the secret", async () => {
    const account = await totpAccount(live.server(), "python-totp");
    const result = await check(signInEnv(account, { TESSERA_TOTP_SECRET: account.secret }));
    expect(result.stdout.trim().split("\n"), result.stderr).toEqual(expectedTotpSignInLines(account, issuer, audience));
    expect(result.code).toBe(0);
    const session = await live.server().app.db.session.findUnique({ where: { id: signedInSession(result.stdout) } });
    expect(session?.userId).toBe(account.userId);
  });

  it("prints the reason of a wrong TOTP code, auth.invalid_second_factor, and exits 1 with no new session", async () => {
    const account = await totpAccount(live.server(), "python-totp");
    const sessions = () => live.server().app.db.session.count({ where: { userId: account.userId } });
    const before = await sessions();
    const result = await check(signInEnv(account, { TESSERA_TOTP_CODE: wrongTotpCode(account.secret) }));
    expect(result.stdout.trim().split("\n"), result.stderr).toEqual([
      "ok Login: second factor required (totp, recovery_code)",
      expect.stringMatching(/^FAIL CompleteSignIn: UNAUTHENTICATED auth\.invalid_second_factor: .+$/),
    ]);
    expect(result.code).toBe(1);
    expect(await sessions()).toBe(before);
  });
});
