/**
 * The OpenAPI document as third-party tools read it: Redocly CLI lints it with no problems
 * (recommended-strict, services/gateway/redocly.yaml), and a client typed from it by
 * openapi-typescript type-checks.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import openapiTS from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../src/openapi.js";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");
const REDOCLY = path.join(ROOT, "node_modules/@redocly/cli/bin/cli.js");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");
// No telemetry, no update check: the linter runs offline.
const QUIET = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "tessera-openapi-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function lint(doc: unknown): Promise<{ totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] }> {
  const file = path.join(dir, `openapi-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, JSON.stringify(doc));
  const args = [REDOCLY, "lint", "--config", path.join(ROOT, "services/gateway/redocly.yaml"), "--format", "json", file];
  const out = await run(process.execPath, args, { env: QUIET, cwd: dir }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
  return JSON.parse(out.stdout) as Awaited<ReturnType<typeof lint>>;
}

describe("the OpenAPI document and third-party tools", () => {
  it("passes Redocly's recommended-strict rules with no errors or warnings", async () => {
    const report = await lint(openApiDocument(undefined, "http://127.0.0.1:8080"));
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    // The linter does bite: the same document without its servers is refused.
    const unserved = await lint(openApiDocument(undefined));
    expect(unserved.totals.errors).toBeGreaterThan(0);
  }, 60_000);

  it("types a client with openapi-typescript that compiles", async () => {
    await writeFile(path.join(dir, "api.d.ts"), await openapiTS(openApiDocument(undefined, "http://127.0.0.1:8080") as never));
    await writeFile(path.join(dir, "client.ts"), CLIENT);
    const tsconfig = {
      compilerOptions: { strict: true, noEmit: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", lib: ["es2022", "dom"], types: [], skipLibCheck: false },
      files: ["api.d.ts", "client.ts"],
    };
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const result = await run(process.execPath, [TSC, "-p", path.join(dir, "tsconfig.json")], { cwd: dir }).then(
      () => "",
      (err: { stdout?: string; stderr?: string }) => `${err.stdout ?? ""}${err.stderr ?? ""}`,
    );
    expect(result).toBe("");
  }, 60_000);
});

/** A small client a REST user would write against the generated types; @ts-expect-error lines prove the types bite. */
const CLIENT = `
import type { components, paths } from "./api.js";

type JsonOf<T> = T extends { content: { "application/json": infer B } } ? B : never;
type Problem = components["schemas"]["Error"];
type LoginBody = JsonOf<NonNullable<paths["/auth/login"]["post"]["requestBody"]>>;
type LoginOk = JsonOf<paths["/auth/login"]["post"]["responses"][200]>;
type ChangePasswordBody = JsonOf<NonNullable<paths["/users/me/password"]["post"]["requestBody"]>>;
type AuditPage = JsonOf<paths["/audit-events"]["get"]["responses"][200]>;
type AuditQuery = NonNullable<paths["/audit-events"]["get"]["parameters"]["query"]>;
type AddPasskeyBody = JsonOf<NonNullable<paths["/users/me/passkeys"]["post"]["requestBody"]>>;
type PasskeyOptions = JsonOf<paths["/auth/passkey-sign-in/options"]["post"]["responses"][200]>;

export async function login(base: string, body: LoginBody): Promise<LoginOk | Problem> {
  const res = await fetch(base + "/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await res.json()) as LoginOk | Problem;
}

export function accessToken(r: LoginOk | Problem): string {
  if ("reason" in r) throw new Error(r.reason + ": " + r.detail + (r.field ? " (" + r.field + ")" : ""));
  // Only when the body asked for it (secondFactorCapable): the account needs /auth/complete-sign-in.
  if ("secondFactorChallenge" in r) throw new Error("second step needed until " + r.secondFactorChallenge.expireTime);
  return r.tokens.accessToken;
}

export const change: ChangePasswordBody = { currentPassword: "old", newPassword: "new" };
export const query: AuditQuery = { type: "AUDIT_EVENT_TYPE_SIGN_IN_FAILED", pageSize: 10 };
export const firstType = (p: AuditPage): string | undefined => p.events[0]?.type;
export const problemType: Problem["type"] = "about:blank";
// WebAuthn JSON travels as objects: what the browser's toJSON() gives goes in as is.
export const addPasskey = (credential: { toJSON(): Record<string, unknown> }): AddPasskeyBody => ({ response: credential.toJSON(), name: "Laptop" });
export const challengeOf = (o: PasskeyOptions): unknown => o.options["challenge"];

// @ts-expect-error: password is required
export const missing: LoginBody = { email: "a@example.com" };
// @ts-expect-error: the browser's answer is an object, not its JSON text
export const stringified: AddPasskeyBody = { response: "{}" };
// @ts-expect-error: not an audit event type
export const badType: AuditQuery = { type: "SIGNED_IN" };
`;
