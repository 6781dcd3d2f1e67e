import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

/** One relative import of a source file: the module text as written and the file it names. */
export interface SourceImport {
  specifier: string;
  /** The imported file relative to the source root, or undefined for a package import. */
  target?: string;
}

/** Every non-test TypeScript file under `root` (excluding generated Prisma code), relative to it. */
export function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated") walk(full);
      } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
        out.push(relative(root, full).split(sep).join("/"));
      }
    }
  };
  walk(root);
  return out.sort();
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*"([^"]+)"|import\(\s*"([^"]+)"\s*\)/g;

/** The imports (static, re-exports and dynamic) of one file under `root`. */
export function importsOf(root: string, file: string): SourceImport[] {
  const text = readFileSync(join(root, file), "utf8");
  const imports: SourceImport[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = (match[1] ?? match[2])!;
    if (!specifier.startsWith(".")) {
      imports.push({ specifier });
      continue;
    }
    const absolute = resolve(dirname(join(root, file)), specifier).replace(/\.js$/, ".ts");
    const target = relative(root, absolute).split(sep).join("/");
    imports.push({ specifier, target: target.startsWith("..") ? undefined : target });
  }
  return imports;
}

/** The top folder of a file relative to the source root ("main.ts" is its own). */
export const folderOf = (file: string) => (file.includes("/") ? file.slice(0, file.indexOf("/")) : file);

/** Folder → folders it imports from, over every source file under `root`. */
export function folderGraph(root: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(root)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const { target } of importsOf(root, file)) {
      if (target === undefined) continue;
      const to = folderOf(target);
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Strongly connected components with more than one folder: each is an import cycle. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, indices.get(next)!));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!indices.has(node)) visit(node);
  return found;
}
