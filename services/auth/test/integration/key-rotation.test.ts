/**
 * Key rotation on demand, end to end: `npm run tessera -- rotate-key` against a running auth
 * service, with the REST gateway and the Go and Python example clients verifying access
 * tokens locally with the JWKS, as resource servers do.
 *
 * A token signed before the rotation keeps verifying everywhere while its key is retired but
 * published; once the key has left the JWKS (its successor has signed for a token lifetime),
 * a token from it is refused by all three. Hours pass by moving every stored key's activation
 * back: for the key ring only `now - activatesAt` counts, so this is its clock moved ahead,
 * while the tokens' own `exp` stays in real time (the clients check it against the real
 * clock). The refusals at the end are therefore the key's removal, not expiry. The gateway's
 * clock is moved past its JWKS cache lifetime so that it fetches the set again, as it would.
 * A scratch database: pruning keys in the shared one would break other files' tokens.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../../gateway/src/server.js";
import { JWKS_TTL_MS } from "../../../gateway/src/jwks.js";
import { bearer, call, startTestGateway } from "../../../gateway/test/helpers.js";
import { tesseraCli } from "../../src/cli/tessera-cli.js";
import { startTestServer, testConfig, type TestServer } from "../harness.js";
import { scratchDatabase } from "../scratch-db.js";
import type { ScratchDatabase } from "../global-setup.js";
import { GO_EXAMPLE, goSkipReason, PYTHON, PYTHON_EXAMPLE, pythonSkipReason, runClient, suiteName, type ClientRun } from "./example-client.js";
import { signIn, signUp } from "./user-fixtures.js";

const LEAD_S = 3600; // min(3600, half the default 30-day rotation)
const KEEP_S = 900 + 60; // the default access-token lifetime plus the clock skew allowed

const skipReason = [goSkipReason(), pythonSkipReason()].filter(Boolean).join("; ") || undefined;

describe.skipIf(!!skipReason)(suiteName("signing key rotation on demand", skipReason), () => {
  let scratch: ScratchDatabase;
  let server: TestServer;
  let gw: Gateway;
  let gatewayOffset = 0;
  let folder: string;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    server = await startTestServer({}, scratch.url);
    gw = await startTestGateway(server, {}, { now: () => Date.now() + gatewayOffset });
    folder = await mkdtemp(join(tmpdir(), "tessera-rotation-"));
    // A cold build of grpc-go and the generated code takes about 20 s on 2 cores.
    const built = await runClient(GO_EXAMPLE, "./build-debian.sh", [join(folder, "go")], {}, 150_000);
    expect(built, built.stderr).toMatchObject({ code: 0 });
    const stubs = await runClient(PYTHON_EXAMPLE, "./generate.sh", [join(folder, "py")], {});
    expect(stubs, stubs.stderr).toMatchObject({ code: 0 });
  }, 200_000);
  afterAll(async () => {
    await gw?.stop();
    await server?.stop();
    await scratch?.drop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  const { issuer, audience } = testConfig();
  const clientEnv = (token: string) => ({ TESSERA_URL: new URL(server.baseUrl).host, TESSERA_ISSUER: issuer, TESSERA_AUDIENCE: audience, TESSERA_ACCESS_TOKEN: token });
  /** What each example client says of `token`, verified locally against the service's JWKS. */
  const clients = async (token: string): Promise<{ go: ClientRun; python: ClientRun }> => ({
    go: await runClient(GO_EXAMPLE, join(folder, "go", "tessera-check"), [], clientEnv(token)),
    python: await runClient(PYTHON_EXAMPLE, PYTHON, ["check.py"], { ...clientEnv(token), PYTHONPATH: `${join(folder, "py")}:${PYTHON_EXAMPLE}`, PYTHONDONTWRITEBYTECODE: "1" }),
  });
  const verified = (userId: string) => ({ code: 0, stdout: `ok access token verified locally: EdDSA, typ at+jwt, iss ${issuer}, aud ${audience}, sub ${userId}\n` });

  const kidOf = (jwt: string) => (JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()) as { kid: string }).kid;
  const published = async () => ((await (await fetch(`${server.baseUrl}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
  /** Moves the key ring's time ahead by `seconds`, then runs the service's periodic rotation check (reload, prune). */
  const keysAge = async (seconds: number) => {
    await server.app.db.$executeRaw`UPDATE "SigningKey" SET "activatesAt" = "activatesAt" - make_interval(secs => ${seconds}::int)`;
    await server.app.keys.rotate();
  };

  it("a token signed before rotate-key verifies at the gateway and in the Go and Python clients until its key leaves the JWKS, then nowhere", { timeout: 120_000 }, async () => {
    const user = await signUp(server, { tag: "rotation" });
    const forGateway = await signIn(server, user.email); // presented to the gateway only once its key is gone
    const oldKid = kidOf(user.accessToken);
    expect(kidOf(forGateway.accessToken)).toBe(oldKid);

    // rotate-key, as an operator runs it against the service's database.
    const out: string[] = [];
    const code = await tesseraCli(["rotate-key"], { env: { DATABASE_URL: scratch.url, TESSERA_ENV: "test" }, io: { out: (l) => out.push(l), err: (l) => out.push(l) } });
    expect(code, out.join("\n")).toBe(0);
    const newKid = /^added key (\S+): published now, it starts signing at \S+ \(in 3[56]\d\d s\)$/.exec(out[0]!)?.[1];
    expect(newKid, out.join("\n")).toBeDefined();
    // The service reads keys again within a minute; its periodic check does it at once.
    await server.app.keys.rotate();
    expect(await published()).toEqual([newKid, oldKid]);

    // Published, not signing yet: the old key still signs; every verifier accepts its tokens,
    // and the gateway's JWKS (fetched now) already holds the new key.
    expect((await call(gw, "GET", "/users/me", { headers: bearer(user.accessToken) })).status).toBe(200);
    const fetches = gw.jwks.fetchCount;
    expect(await clients(user.accessToken)).toMatchObject({ go: verified(user.userId), python: verified(user.userId) });

    // The lead time has passed: the new key signs, the old one is retired but published.
    await keysAge(LEAD_S + 1);
    const after = await signIn(server, user.email);
    expect(kidOf(after.accessToken)).toBe(newKid);
    expect(await published()).toEqual([newKid, oldKid]);
    // The gateway verifies the new key's token with the set it fetched before it signed: no refetch.
    expect((await call(gw, "GET", "/users/me", { headers: bearer(after.accessToken) })).status).toBe(200);
    expect(gw.jwks.fetchCount).toBe(fetches);
    expect(await clients(user.accessToken)).toMatchObject({ go: verified(user.userId), python: verified(user.userId) });
    expect(await clients(after.accessToken)).toMatchObject({ go: verified(user.userId), python: verified(user.userId) });

    // The new key has signed for a token lifetime: every token of the old key has expired by
    // the key ring's clock, so the old key leaves the JWKS and its row is deleted.
    await keysAge(KEEP_S);
    expect(await published()).toEqual([newKid]);
    expect(await server.app.db.signingKey.count({ where: { kid: oldKid } })).toBe(0);

    // The gateway refetches once its cached set is older than its TTL, and refuses the old key's token.
    gatewayOffset = JWKS_TTL_MS + 1000;
    const refused = await call(gw, "GET", "/users/me", { headers: bearer(forGateway.accessToken) });
    expect(refused).toMatchObject({ status: 401, body: { reason: "auth.invalid_token", message: "invalid access token" } });
    expect(gw.jwks.fetchCount).toBeGreaterThan(fetches);
    expect((await call(gw, "GET", "/users/me", { headers: bearer(after.accessToken) })).status).toBe(200);

    const { go, python } = await clients(user.accessToken);
    expect(go.code).toBe(1);
    expect(go.stdout).toMatch(new RegExp(`^FAIL access token verified locally: .*no key "${oldKid}" in http://\\S+/\\.well-known/jwks\\.json$`, "m"));
    expect(python.code).toBe(1);
    expect(python.stdout).toMatch(new RegExp(`^FAIL access token verified locally: Unable to find a signing key that matches: "${oldKid}"$`, "m"));
    // The new key's tokens still verify in both.
    expect(await clients(after.accessToken)).toMatchObject({ go: verified(user.userId), python: verified(user.userId) });
  });
});
