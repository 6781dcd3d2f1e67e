/**
 * The breaking-change gate on a scratch repository holding a copy of proto/: a renumbered field in
 * the middle of a submission fails it, naming the commit and the break, unless the commit's
 * message declares the break for that package; an additive change passes; and the real history
 * passes.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkHistory, declaredBreaks } from "./proto-breaking-gate.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SESSION = "proto/tessera/user/v1/session.proto";

describe("proto breaking gate", () => {
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", repo, "-c", "user.name=gate test", "-c", "user.email=gate@test", ...args], { encoding: "utf8" }).trim();
  /** Edits one file of the copy and commits it on the current branch; returns the commit id. */
  const commit = (message: string, file: string, edit: (text: string) => string) => {
    const path = join(repo, file);
    writeFileSync(path, edit(readFileSync(path, "utf8")));
    git("commit", "-q", "-am", message);
    return git("rev-parse", "HEAD");
  };
  const addField = (text: string) => text.replace(/(message Session \{\n)/, "$1  string note = 99;\n");
  const renumber = (text: string) => {
    expect(text).toMatch(/string user_agent = 2;/);
    return text.replace("string user_agent = 2;", "string user_agent = 22;");
  };

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), "tessera-gate-"));
    git("init", "-q", "-b", "main");
    cpSync(join(ROOT, "proto"), join(repo, "proto"), { recursive: true });
    cpSync(join(ROOT, "buf.yaml"), join(repo, "buf.yaml"));
    git("add", ".");
    git("commit", "-q", "-m", "contracts");
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it("passes an additive change, and the commit that added proto/ has no parent to break", async () => {
    git("checkout", "-q", "-b", "additive", "main");
    const sha = commit("Session: a note", SESSION, addField);
    const result = await checkHistory({ repo, tip: "additive" });
    expect(result.checked.map((c) => c.sha)).toEqual([sha]);
    expect(result.failed).toEqual([]);
  });

  it("fails a renumbered field in the middle of a submission, naming the commit and the break", async () => {
    git("checkout", "-q", "-b", "renumber", "main");
    commit("Session: a note", SESSION, addField);
    const bad = commit("Session: tidy the numbers", SESSION, renumber);
    commit("README-ish change after it", SESSION, (t) => `${t}\n// trailing comment\n`);
    const { failed } = await checkHistory({ repo, tip: "renumber" });
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ sha: bad, subject: "Session: tidy the numbers" });
    expect(failed[0]!.breaks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: SESSION, type: "FIELD_NO_DELETE", package: "tessera.user.v1", message: expect.stringContaining('"user_agent"') }),
      ]),
    );
  });

  it("passes the break when the commit declares it for that package, and only for that package", async () => {
    git("checkout", "-q", "-b", "declared", "main");
    commit("Session: renumber\n\nBreaking-Change: tessera.user.v1 — no client reads user_agent yet", SESSION, renumber);
    const declared = await checkHistory({ repo, tip: "declared" });
    expect(declared.failed).toEqual([]);
    expect(declared.checked[0]!.exempt.map((f) => f.type)).toContain("FIELD_NO_DELETE");

    // Merged beside another change, the merge brings the declared break in without making it.
    git("checkout", "-q", "-b", "merged", "main");
    commit("Session: a note", SESSION, addField);
    git("merge", "-q", "--no-ff", "-m", "Merge declared", "declared");
    const merged = await checkHistory({ repo, tip: "merged" });
    expect(merged.checked.map((c) => c.subject)).toContain("Merge declared");
    expect(merged.failed).toEqual([]);

    git("checkout", "-q", "-b", "other-package", "main");
    commit("Session: renumber\n\nBreaking-Change: tessera.auth.v1 — wrong package", SESSION, renumber);
    expect((await checkHistory({ repo, tip: "other-package" })).failed).toHaveLength(1);
  });

  it("reads only well-formed marker lines", () => {
    expect(declaredBreaks("x\n\nBreaking-Change: tessera.user.v1 — why\nBreaking-Change: tessera.auth.v1 -- why too\n")).toEqual(
      new Set(["tessera.user.v1", "tessera.auth.v1"]),
    );
    for (const message of ["Breaking-Change: tessera.user.v1", "Breaking-Change: tessera.user.v1 —", "breaking-change: tessera.user.v1 — why", "  Breaking-Change: tessera.user.v1 — why"]) {
      expect(declaredBreaks(message), message).toEqual(new Set());
    }
  });

  it("passes the repository's own history from the command line", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts/proto-breaking-gate.ts"), "--repo", ROOT], { encoding: "utf8" });
    expect(out).toMatch(/no undeclared breaking change in \d+ commit/);
  });
});
