import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testConfig } from "../harness.js";
import {
  GO_EXAMPLE as EXAMPLE,
  goSkipReason,
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
 * The Go example client (examples/go) as a user runs it: code generated from proto/ by
 * generate.sh with Debian's protoc, protoc-gen-go and protoc-gen-go-grpc, built offline by
 * build-debian.sh from Debian's Go sources (which first runs its go test: the TOTP function
 * against RFC 6238's SHA-1 vectors), run against a real service over gRPC.
 */
const skipReason = goSkipReason();

describe.skipIf(!!skipReason)(suiteName("Go client", skipReason), () => {
  // A cold build of grpc-go and the generated code takes about 20 s on 2 cores.
  const live = liveServiceAndFolder("tessera-go-", (work) => runClient(EXAMPLE, "./build-debian.sh", [work], {}, 120_000), 150_000);
  const { issuer, audience } = testConfig();
  const check = (env: Record<string, string> = {}) =>
    runClient(EXAMPLE, join(live.folder(), "tessera-check"), [], {
      TESSERA_URL: new URL(live.server().baseUrl).host,
      TESSERA_ISSUER: issuer,
      TESSERA_AUDIENCE: audience,
      TESSERA_REFRESH_GRACE: "0",
      ...env,
    });

  it("passes every check against the running service over gRPC", async () => {
    const result = await check();
    expect(result.stdout.trim().split("\n"), result.stderr).toEqual(expectedCheckLines(result.stdout, "go.", issuer, audience));
    expect(result.code).toBe(0);
  });

  it("refuses an access token from another issuer than the one pinned, and exits 1", async () => {
    const result = await check({ TESSERA_ISSUER: "https://elsewhere.example" });
    expect(result.stdout).toMatch(/^FAIL access token verified locally: issuer is "http:\/\/localhost:50051", not "https:\/\/elsewhere\.example"$/m);
    expect(result.code).toBe(1);
  });

  it("signs in to an account with an authenticator app: the password, then a TOTP code it computes from the secret", async () => {
    const account = await totpAccount(live.server(), "go-totp");
    const result = await check(signInEnv(account, { TESSERA_TOTP_SECRET: account.secret }));
    expect(result.stdout.trim().split("\n"), result.stderr).toEqual(expectedTotpSignInLines(account, issuer, audience));
    expect(result.code).toBe(0);
    const session = await live.server().app.db.session.findUnique({ where: { id: signedInSession(result.stdout) } });
    expect(session?.userId).toBe(account.userId);
  });

  it("prints the reason of a wrong TOTP code, auth.invalid_second_factor, and exits 1 with no new session", async () => {
    const account = await totpAccount(live.server(), "go-totp");
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
