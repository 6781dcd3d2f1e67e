import { execFile } from "node:child_process";
import { expect } from "vitest";

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
