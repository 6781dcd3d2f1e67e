/**
 * The breaking-change gate: every commit in history that changed the Protobuf module is checked
 * with `buf breaking` against its parent, so a break in the middle of a multi-commit submission
 * is caught as surely as one in its last commit.
 *
 *   npx tsx scripts/proto-breaking-gate.ts [--repo <dir>] [<tip>]     (tip defaults to HEAD)
 *
 * A commit may break the contract only on purpose, by naming each package it breaks in a line
 * of its message:
 *
 *   Breaking-Change: tessera.user.v1 — why the break is acceptable
 *
 * (`--` may stand for the dash; the reason is required; one line per package). Such a line
 * exempts breaks in that package's files and in that commit only; compile errors are never
 * exempt. A commit with no parent holding the module (the one that added it) has nothing to
 * break. A merge is checked against each parent, and fails on the breaks that every parent sees,
 * i.e. those the merge itself made rather than brought in from a side already checked.
 *
 * Every comparison uses the tip's buf.yaml (its module path and breaking rules), so an old or a
 * later-weakened configuration does not change what an old commit is held to. Results are cached
 * per pair of module trees in the system temp folder, so reruns only compare what is new.
 */
import { createHash } from "node:crypto";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const BUF = fileURLToPath(new URL("../node_modules/.bin/buf", import.meta.url));
/** Cached results are keyed by buf's version too: a newer buf may find more. */
const BUF_VERSION = (JSON.parse(readFileSync(new URL("../node_modules/@bufbuild/buf/package.json", import.meta.url), "utf8")) as { version: string }).version;
const CACHE = join(tmpdir(), "tessera-proto-gate");
const run = promisify(execFile);

/** `Breaking-Change: <package> — <reason>` (or `--`), one per line of the commit message. */
export const MARKER = /^Breaking-Change:[ \t]+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)[ \t]+(?:—|--)[ \t]+(\S.*)$/gm;

/** One finding of `buf breaking --error-format json`, with the proto package of its file. */
export interface Finding {
  file: string;
  line: number;
  type: string;
  message: string;
  /** The package of the file (new tree, or the old one for a deleted file); "" when unknown. */
  package: string;
}

export interface CommitVerdict {
  sha: string;
  subject: string;
  /** Findings the commit answers for, split by whether a marker exempts them. */
  breaks: Finding[];
  exempt: Finding[];
}

export interface GateResult {
  checked: CommitVerdict[];
  failed: CommitVerdict[];
}

/** The packages a commit message declares it breaks on purpose. */
export function declaredBreaks(message: string): Set<string> {
  return new Set([...message.matchAll(MARKER)].map((m) => m[1]!));
}

export async function checkHistory(opts: { repo?: string; tip?: string } = {}): Promise<GateResult> {
  const repo = resolve(opts.repo ?? ".");
  const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", maxBuffer: 64 << 20 }).trim();
  if (git("rev-parse", "--is-shallow-repository") === "true") {
    throw new Error(`${repo} is a shallow clone: the gate needs every commit (git fetch --unshallow)`);
  }
  const tip = git("rev-parse", "--verify", `${opts.tip ?? "HEAD"}^{commit}`);
  const config = git("show", `${tip}:buf.yaml`);
  const moduleDir = modulePath(config);
  const treeOf = (commit: string) => {
    try {
      return git("rev-parse", "--verify", "-q", `${commit}:${moduleDir}`);
    } catch {
      return undefined;
    }
  };

  const checked: CommitVerdict[] = [];
  const lines = git("rev-list", "--reverse", "--full-history", "--parents", tip, "--", moduleDir).split("\n").filter(Boolean);
  for (const line of lines) {
    const [sha, ...parents] = line.split(" ") as [string, ...string[]];
    const tree = treeOf(sha);
    const parentTrees = parents.map(treeOf).filter((t): t is string => t !== undefined);
    if (!tree || parentTrees.length === 0 || parentTrees.includes(tree)) continue; // added, removed, or unchanged against a parent
    const perParent = await Promise.all(parentTrees.map((p) => compare(repo, config, tree, p)));
    const keyOf = (f: Finding) => `${f.type}|${f.file}|${f.message}`;
    const findings = perParent[0]!.filter((f) => perParent.every((fs) => fs.some((g) => keyOf(g) === keyOf(f))));
    const message = git("log", "-1", "--format=%B", sha);
    const declared = declaredBreaks(message);
    const exempt = findings.filter((f) => f.type !== "COMPILE" && declared.has(f.package));
    checked.push({ sha, subject: message.split("\n")[0]!, breaks: findings.filter((f) => !exempt.includes(f)), exempt });
  }
  return { checked, failed: checked.filter((c) => c.breaks.length > 0) };
}

/** `buf breaking` of one module tree against another (both git tree ids), cached by content. */
async function compare(repo: string, config: string, tree: string, against: string): Promise<Finding[]> {
  const key = createHash("sha256").update(`${BUF_VERSION}\0${config}\0${tree}\0${against}`).digest("hex");
  const cached = join(CACHE, "results", `${key}.json`);
  if (existsSync(cached)) return JSON.parse(readFileSync(cached, "utf8")) as Finding[];
  const [dir, againstDir] = [exportTree(repo, config, tree), exportTree(repo, config, against)];
  const res = await run(BUF, ["breaking", ".", "--against", againstDir, "--error-format", "json"], { cwd: dir, maxBuffer: 64 << 20 }).catch(
    (err: { code?: number; stdout?: string; stderr?: string }) => {
      if (err.code === 100 || (err.stdout ?? "").trim()) return { stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
      throw new Error(`buf breaking failed: ${err.stderr ?? err}`);
    },
  );
  const moduleDir = modulePath(config);
  const findings = res.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => {
      const raw = JSON.parse(l) as { path?: string; start_line: number; type: string; message: string };
      // A deleted file has no path; its message names it, relative to the module.
      const file = raw.path ?? `${moduleDir}/${/"([^"]+\.proto)"/.exec(raw.message)?.[1] ?? "?"}`;
      const pkg = packageOf(join(dir, file)) ?? packageOf(join(againstDir, file)) ?? "";
      return { file, line: raw.path ? raw.start_line : 0, type: raw.type, message: raw.message, package: pkg };
    });
  mkdirSync(join(CACHE, "results"), { recursive: true });
  writeFileSync(cached, JSON.stringify(findings));
  return findings;
}

/** The module tree written out once under the cache, beside the tip's buf.yaml. */
function exportTree(repo: string, config: string, tree: string): string {
  const moduleDir = modulePath(config);
  const dir = join(CACHE, "trees", createHash("sha256").update(`${config}\0${tree}`).digest("hex").slice(0, 32));
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, moduleDir), { recursive: true });
  const tar = execFileSync("git", ["-C", repo, "archive", "--format=tar", tree], { maxBuffer: 256 << 20 });
  execFileSync("tar", ["-x", "-C", join(tmp, moduleDir)], { input: tar });
  writeFileSync(join(tmp, "buf.yaml"), config);
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another run exported it first
  }
  return dir;
}

/** The one module's directory, from buf.yaml's `modules: - path: …`. */
function modulePath(config: string): string {
  const path = /^\s*-\s*path:\s*(\S+)\s*$/m.exec(config)?.[1];
  if (!path) throw new Error("buf.yaml at the tip names no module path");
  return path;
}

function packageOf(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return /^\s*package\s+([\w.]+)\s*;/m.exec(readFileSync(path, "utf8"))?.[1];
}

function report({ checked, failed }: GateResult): string {
  const out: string[] = [];
  for (const c of checked) {
    const head = `${c.sha.slice(0, 12)} ${c.subject.slice(0, 90)}`;
    if (c.breaks.length > 0) {
      out.push(`✗ ${head}`);
      for (const f of c.breaks) out.push(`    ${f.file}:${f.line}: ${f.message} [${f.type}${f.package ? `, ${f.package}` : ""}]`);
    } else {
      out.push(`✓ ${head}${c.exempt.length ? ` (${c.exempt.length} declared break(s) in ${[...new Set(c.exempt.map((f) => f.package))].join(", ")})` : ""}`);
    }
  }
  out.push(
    failed.length === 0
      ? `no undeclared breaking change in ${checked.length} commit(s) that changed the contracts`
      : `${failed.length} commit(s) break the contracts without a "Breaking-Change: <package> — <reason>" line naming the package`,
  );
  return out.join("\n");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const repoAt = args.indexOf("--repo");
  const repo = repoAt >= 0 ? args.splice(repoAt, 2)[1] : undefined;
  checkHistory({ repo, tip: args[0] }).then(
    (result) => {
      console.log(report(result));
      process.exitCode = result.failed.length > 0 ? 1 : 0;
    },
    (err: unknown) => {
      console.error(`proto breaking gate: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    },
  );
}
