import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { startTestServer, type TestServer } from "../harness.js";

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
