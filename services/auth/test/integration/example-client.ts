import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { totpCode } from "../../src/second-factor/totp.js";
import { GOOD_PASSWORD, startTestServer, type TestServer } from "../harness.js";
import { signUp } from "./user-fixtures.js";

/** The Go example (examples/go), built offline from Debian's Go sources by build-debian.sh. */
export const GO_EXAMPLE = fileURLToPath(new URL("../../../../examples/go/", import.meta.url));
const GOCODE = "/usr/share/gocode/src";
const GO_NEEDS: [path: string, apt: string][] = [
  ["/usr/bin/go", "golang-go"],
  ["/usr/bin/protoc", "protobuf-compiler"],
  ["/usr/bin/protoc-gen-go", "protoc-gen-go"],
  ["/usr/bin/protoc-gen-go-grpc", "protoc-gen-go-grpc"],
  [`${GOCODE}/google.golang.org/grpc`, "golang-google-grpc-dev"],
  [`${GOCODE}/google.golang.org/protobuf`, "golang-google-protobuf-dev"],
  // grpc-go marshals through github.com/golang/protobuf: v1.5 (on google.golang.org/protobuf), not v1.3.
  [`${GOCODE}/github.com/golang/protobuf/proto/registry.go`, "golang-github-golang-protobuf-1-5-dev"],
  [`${GOCODE}/google.golang.org/genproto/googleapis/rpc/errdetails`, "golang-google-genproto-dev"],
  [`${GOCODE}/github.com/golang-jwt/jwt`, "golang-github-golang-jwt-jwt-dev"],
];

/** Why the Go example cannot be built here (the Debian packages to install), or undefined. */
export function goSkipReason(): string | undefined {
  const missing = GO_NEEDS.filter(([path]) => !existsSync(path));
  return missing.length ? `missing ${missing.map(([p]) => p).join(", ")}: apt-get install ${missing.map(([, apt]) => apt).join(" ")}` : undefined;
}

/** The Python example (examples/python): stubs from generate.sh, run by Debian's python3. */
export const PYTHON_EXAMPLE = fileURLToPath(new URL("../../../../examples/python/", import.meta.url));
const GOOGLE_PROTOS = fileURLToPath(new URL("../../../../node_modules/google-proto-files/", import.meta.url));
export const PYTHON = "/usr/bin/python3";
const PYTHON_MODULES = ["grpc", "google.protobuf", "jwt", "cryptography"];

/** Why the Python example cannot run here (the Debian packages to install), or undefined. */
export function pythonSkipReason(): string | undefined {
  if (!existsSync("/usr/bin/protoc")) return "no /usr/bin/protoc: apt-get install protobuf-compiler";
  if (!existsSync("/usr/bin/grpc_python_plugin")) return "no grpc_python_plugin: apt-get install protobuf-compiler-grpc";
  if (!existsSync(join(GOOGLE_PROTOS, "google/rpc/status.proto"))) return "google-proto-files is not installed: npm ci";
  try {
    execFileSync(PYTHON, ["-c", `import ${PYTHON_MODULES.join(", ")}`], { stdio: "ignore" });
  } catch {
    return `${PYTHON} cannot import ${PYTHON_MODULES.join(", ")}: apt-get install python3-grpcio python3-protobuf python3-jwt python3-cryptography`;
  }
  return undefined;
}

/** How an example client run ended: its exit status and what it printed. */
export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an example client's command in its folder; never rejects, the status says how it went. */
export function runClient(cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, timeout = 60_000): Promise<ClientRun> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, cwd, timeout }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/**
 * The lines every example client prints when all its checks pass, in order. `emailPrefix` is
 * the local part's start of the address it registers ("python.", "go.").
 */
export function expectedCheckLines(stdout: string, emailPrefix: string, issuer: string, audience: string): unknown[] {
  const userId = /^ok Register: user (\S+)$/m.exec(stdout)?.[1];
  const prefix = emailPrefix.replace(/\./g, "\\.");
  return [
    `ok Register: user ${userId}`,
    expect.stringMatching(/^ok Login: session \S+$/),
    expect.stringMatching(new RegExp(`^ok GetMe: ${prefix}\\S+@example\\.com with authorization: Bearer$`)),
    `ok access token verified locally: EdDSA, typ at+jwt, iss ${issuer}, aud ${audience}, sub ${userId}`,
    "ok Refresh: new tokens, same session",
    "ok spent refresh token refused: UNAUTHENTICATED auth.refresh_token_reused",
    "ok wrong password refused: UNAUTHENTICATED auth.invalid_credentials",
    "ok malformed email refused: INVALID_ARGUMENT request.invalid_argument field email",
    "ok AdapterService without credential refused: UNAUTHENTICATED service.invalid_credential",
  ];
}

/** The name of an example client's suite, saying why it is skipped; CI, which installs every toolchain (.ci/run), fails instead. */
export function suiteName(client: string, skipReason: string | undefined): string {
  if (skipReason && process.env.CI) throw new Error(skipReason);
  return `${client}${skipReason ? ` (skipped: ${skipReason})` : ""}`;
}

/**
 * For the suite it is called in: a live service and a temporary folder, which `prepare` fills
 * (stubs, a build) and must exit 0. The refresh grace is 0, so the clients present a spent
 * refresh token at once and expect it refused.
 */
export function liveServiceAndFolder(prefix: string, prepare: (folder: string) => Promise<ClientRun>, timeout?: number): { server(): TestServer; folder(): string } {
  let server: TestServer | undefined;
  let folder: string | undefined;
  beforeAll(async () => {
    server = await startTestServer({ TESSERA_REFRESH_GRACE: "0" });
    folder = await mkdtemp(join(tmpdir(), prefix));
    const prepared = await prepare(folder);
    expect(prepared, prepared.stderr).toMatchObject({ code: 0 });
  }, timeout);
  afterAll(async () => {
    await server?.stop();
    if (folder) await rm(folder, { recursive: true, force: true });
  });
  return { server: () => server!, folder: () => folder! };
}

const STEP_MS = 30_000;

/** An account with an authenticator app, enrolled through UserService as a user does it. */
export interface TotpAccount {
  email: string;
  password: string;
  userId: string;
  /** The base32 secret BeginTotpEnrollment handed out, which the app holds. */
  secret: string;
}

/**
 * A new account with a confirmed authenticator app. It is confirmed with the previous step's
 * code (±1 step is accepted), so the step a client computes next has not been used: the service
 * refuses a step at or below the last one it accepted. The last 1.5 s of a step are waited out
 * first, so the service still counts that code as the previous step's.
 */
export async function totpAccount(server: TestServer, tag: string): Promise<TotpAccount> {
  const me = await signUp(server, { tag });
  const { secret } = await me.users.beginTotpEnrollment({ password: GOOD_PASSWORD });
  const into = Date.now() % STEP_MS;
  if (into > STEP_MS - 1500) await new Promise((r) => setTimeout(r, STEP_MS - into + 50));
  await me.users.confirmTotpEnrollment({ code: totpCode(secret, Date.now() - STEP_MS) });
  return { email: me.email, password: GOOD_PASSWORD, userId: me.userId, secret };
}

/** A 6-digit code that no step within two of now produces for `secret`: surely wrong. */
export function wrongTotpCode(secret: string): string {
  const near = new Set([-2, -1, 0, 1, 2].map((k) => totpCode(secret, Date.now() + k * STEP_MS)));
  let n = 0;
  while (near.has(String(n).padStart(6, "0"))) n++;
  return String(n).padStart(6, "0");
}

/** The lines a client prints when it signs in to `account` with a TOTP code (TESSERA_EMAIL mode). */
export function expectedTotpSignInLines(account: TotpAccount, issuer: string, audience: string): unknown[] {
  return [
    "ok Login: second factor required (totp, recovery_code)",
    expect.stringMatching(/^ok CompleteSignIn: TOTP code accepted, session \S+$/),
    `ok GetMe: ${account.email} with authorization: Bearer`,
    `ok access token verified locally: EdDSA, typ at+jwt, iss ${issuer}, aud ${audience}, sub ${account.userId}`,
  ];
}

/** The session id a client printed after CompleteSignIn. */
export function signedInSession(stdout: string): string | undefined {
  return /^ok CompleteSignIn: TOTP code accepted, session (\S+)$/m.exec(stdout)?.[1];
}

/** The environment that puts a client in sign-in mode for `account`. */
export function signInEnv(account: TotpAccount, proof: { TESSERA_TOTP_SECRET: string } | { TESSERA_TOTP_CODE: string }): Record<string, string> {
  return { TESSERA_EMAIL: account.email, TESSERA_PASSWORD: account.password, ...proof };
}
