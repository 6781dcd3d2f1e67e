/**
 * Every `buf curl` recipe of README.md, run as written against a live service, in README order:
 * the host is the test server's, the example address a fresh one, `npx buf` the installed buf
 * (in an empty folder, so it works from server reflection alone as the README says), and the
 * placeholders are filled from earlier answers; plain `curl` runs with --fail, so an HTTP error
 * status fails it. A recipe fails the test when it exits non-zero
 * or answers an error, unless the README marks it `# fails with <code> [<reason>]` — then it must
 * answer exactly that.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, run } from "../child.js";
import { startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { fillPlaceholders, readmeRecipes, type Recipe } from "../readme-recipes.js";

const README_HOST = "http://127.0.0.1:50051";
const README_EMAIL = "ada@example.com";
/** The image the avatar recipe uploads: a 1x1 PNG. */
const ME_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

const recipes = readmeRecipes(await readFile(join(REPO_ROOT, "README.md"), "utf8"));

describe("reading recipes", () => {
  const sample = [
    "```sh",
    "echo not a recipe block",
    "```",
    "```sh",
    "# a comment line",
    "npx buf curl -d '{\"refreshToken\":\"<refreshToken>\"}' \\",
    "  http://127.0.0.1:50051/tessera.auth.v1.AuthService/Refresh   # single use",
    "A='Authorization: Bearer <accessToken>'",
    "npx buf curl -H \"$A\" -d '{\"note\":\"# not a comment\"}' http://h/GetMe # fails with unauthenticated session.revoked",
    "curl -s 'http://h/dev/mail?to=a@b'   # \"Confirm your email address\"",
    "```",
  ].join("\n");

  it("joins continued lines, keeps variables for later commands and reads the trailing annotations", () => {
    expect(readmeRecipes(sample)).toEqual([
      { line: 6, command: "npx buf curl -d '{\"refreshToken\":\"<refreshToken>\"}' http://127.0.0.1:50051/tessera.auth.v1.AuthService/Refresh", variables: [] },
      {
        line: 9,
        command: "npx buf curl -H \"$A\" -d '{\"note\":\"# not a comment\"}' http://h/GetMe",
        variables: ["A='Authorization: Bearer <accessToken>'"],
        fails: { code: "unauthenticated", reason: "session.revoked" },
      },
      { line: 10, command: "curl -s 'http://h/dev/mail?to=a@b'", variables: ["A='Authorization: Bearer <accessToken>'"], mailSubject: "Confirm your email address" },
    ]);
  });

  it("fills placeholders from the newest answer that has them, and refuses one it has no rule for", () => {
    const answers = [{ tokens: { refreshToken: "old", accessToken: "a1" } }, { tokens: { refreshToken: "new" } }, { sessions: [{ id: "s2" }, { id: "s1", current: true }] }];
    expect(fillPlaceholders("<refreshToken> <accessToken> <id>", answers)).toBe("new a1 s1");
    expect(() => fillPlaceholders("<userId>", answers)).toThrow(/no rule fills <userId>/);
    expect(() => fillPlaceholders("<token>", answers)).toThrow(/no earlier answer/);
  });
});

describe("README buf curl recipes against a live service", () => {
  let server: TestServer;
  let cwd: string;
  let env: NodeJS.ProcessEnv;
  const email = uniqueEmail("readme");
  const answers: Record<string, any>[] = [];

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), "tessera-readme-"));
    await writeFile(join(cwd, "me.png"), ME_PNG);
    env = { ...process.env, PATH: `${join(REPO_ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`, BUF_CACHE_DIR: join(cwd, ".cache") };
    server = await startTestServer({ TESSERA_AVATAR_DIR: join(cwd, "avatars") });
  });
  afterAll(async () => {
    await server?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it("finds the recipes: Register, Login, VerifyEmail, ResetPassword, GetMe …", () => {
    const commands = recipes.map((r) => r.command).join("\n");
    for (const rpc of ["AuthService/Register", "AuthService/Login", "AuthService/VerifyEmail", "AuthService/ResetPassword", "UserService/GetMe", "UserService/RevokeSession"]) {
      expect(commands).toContain(rpc);
    }
  });

  /** Runs one recipe in bash as the README writes it, with host, address, buf and placeholders swapped. */
  async function runRecipe(recipe: Recipe) {
    const local = (text: string) => fillPlaceholders(text.replaceAll(README_HOST, server.baseUrl).replaceAll(README_EMAIL, email), answers);
    const script = ["set -euo pipefail", ...recipe.variables.map(local), local(recipe.command).replace(/\bnpx buf /g, "buf ").replace(/(?<!buf )\bcurl /g, "curl --fail --silent --show-error ")].join("\n");
    return run("bash", ["-c", script], { cwd, env, timeoutMs: 20_000 });
  }

  it.each(recipes.map((r) => [`README:${r.line} ${r.command.slice(0, 110)}`, r] as const))("%s", async (_name, recipe) => {
    let res = await runRecipe(recipe);
    if (recipe.mailSubject) {
      // Mail goes out through the outbox: ask again until the mail the README names is the newest.
      const deadline = Date.now() + 15_000;
      while (JSON.parse(res.stdout).messages?.[0]?.subject !== recipe.mailSubject && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        res = await runRecipe(recipe);
      }
    }
    const output = `exit ${res.code}\nstdout: ${res.stdout}\nstderr: ${res.stderr}`;
    if (recipe.fails) {
      expect(res.code, output).not.toBe(0);
      const error = JSON.parse(res.stderr) as { code?: string; details?: { debug?: { reason?: string } }[] };
      expect(error.code, output).toBe(recipe.fails.code);
      if (recipe.fails.reason) expect(error.details?.map((d) => d.debug?.reason), output).toContain(recipe.fails.reason);
      return;
    }
    expect(res.code, output).toBe(0);
    expect(res.stderr, output).toBe("");
    if (res.stdout.trimStart().startsWith("{")) answers.push(JSON.parse(res.stdout));
    if (recipe.mailSubject) expect(answers.at(-1)!.messages[0].subject, output).toBe(recipe.mailSubject);
  });
});
