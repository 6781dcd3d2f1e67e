import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** One `- CODE reason: text` line of a proto comment (continuation lines joined to `text`). */
export interface DocumentedReason {
  code: string;
  reason: string;
  text: string;
}

/** The leading comment of one rpc, without the `//` markers. */
export interface RpcComment {
  /** Fully qualified service name, e.g. "tessera.auth.v1.AuthService". */
  service: string;
  method: string;
  lines: string[];
}

const ENTRY = /^- ([A-Z_]+) ([a-z0-9_.]+): (.+)$/;

/** Every .proto file under `root`, relative to it, with its text. */
export function protoFiles(root: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".proto")) out.push({ path: relative(root, full).split(sep).join("/"), text: readFileSync(full, "utf8") });
    }
  };
  walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The comment lines (without `// `) right above the first line of `text` matching `declaration`. */
export function leadingComment(text: string, declaration: RegExp): string[] {
  const lines = text.split("\n");
  const at = lines.findIndex((line) => declaration.test(line));
  if (at < 0) throw new Error(`no declaration matching ${declaration}`);
  return commentAbove(lines, at);
}

/** The leading comment of every rpc of every service declared in a proto file. */
export function rpcComments(text: string): RpcComment[] {
  const pkg = /^package ([\w.]+);/m.exec(text)?.[1];
  const lines = text.split("\n");
  const out: RpcComment[] = [];
  let service: string | undefined;
  lines.forEach((line, i) => {
    const s = /^service (\w+) \{/.exec(line);
    if (s) service = `${pkg}.${s[1]}`;
    const rpc = /^\s*rpc (\w+)\(/.exec(line);
    if (rpc && service) out.push({ service, method: rpc[1]!, lines: commentAbove(lines, i) });
  });
  return out;
}

/** The fully qualified names of the services declared in a proto file. */
export function serviceNames(text: string): string[] {
  const pkg = /^package ([\w.]+);/m.exec(text)?.[1];
  return [...text.matchAll(/^service (\w+) \{/gm)].map((m) => `${pkg}.${m[1]}`);
}

/**
 * The entries of the `Errors:` paragraph of an rpc comment: each line `- CODE reason: text`,
 * continued on lines indented by two spaces; the paragraph ends at an empty line. No paragraph
 * means no entries. Throws on a line in the paragraph that is neither.
 */
export function errorsParagraph(comment: string[]): DocumentedReason[] {
  const starts = comment.flatMap((line, i) => (line === "Errors:" ? [i] : []));
  if (starts.length > 1) throw new Error(`more than one "Errors:" paragraph`);
  if (starts.length === 0) return [];
  const body: string[] = [];
  for (const line of comment.slice(starts[0]! + 1)) {
    if (line === "") break;
    body.push(line);
  }
  return reasonEntries(body);
}

/** The `- CODE reason: text` entries of comment lines; lines indented by two spaces continue the one before. */
export function reasonEntries(lines: string[]): DocumentedReason[] {
  const out: DocumentedReason[] = [];
  for (const line of lines) {
    const entry = ENTRY.exec(line);
    if (entry) out.push({ code: entry[1]!, reason: entry[2]!, text: entry[3]! });
    else if (line.startsWith("  ") && out.length > 0) out.at(-1)!.text += ` ${line.trim()}`;
    else throw new Error(`not "- CODE reason: text" nor its continuation: ${JSON.stringify(line)}`);
  }
  return out;
}

/** The entries of a comment that has prose besides its list: every `- CODE reason: text` line and its continuations. */
export function listedReasons(comment: string[]): DocumentedReason[] {
  const list: string[] = [];
  let inEntry = false;
  for (const line of comment) {
    inEntry = ENTRY.test(line) || (inEntry && line.startsWith("  "));
    if (inEntry) list.push(line);
  }
  return reasonEntries(list);
}

function commentAbove(lines: string[], at: number): string[] {
  const out: string[] = [];
  for (let i = at - 1; i >= 0 && /^\s*\/\//.test(lines[i]!); i--) out.unshift(lines[i]!.replace(/^\s*\/\/ ?/, ""));
  return out;
}
