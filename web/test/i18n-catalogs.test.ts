// The English and French catalogs say the same things, and every key the app asks for exists:
// a missing translation shows up here, not as a raw key on someone's screen.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import en from "../messages/en.json";
import fr from "../messages/fr.json";

const WEB = fileURLToPath(new URL("..", import.meta.url));

/** "ns.key" → value, for every leaf of a catalog. */
function leaves(obj: unknown, prefix = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object") for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    if (e.startsWith(".") || e === "node_modules" || e === "test") return [];
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e) ? [p] : [];
  });
}

/**
 * Every literal key the app's code asks for, as "namespace.key": `const t = useTranslations("ns")`
 * (or getTranslations, alone or in a Promise.all list), then `t("key")` / `t.rich("key")`, and
 * `(await getTranslations("ns"))("key")`. Keys built at run time are typed by tsc instead.
 */
function usedKeys(): { file: string; key: string }[] {
  const used: { file: string; key: string }[] = [];
  for (const file of sourceFiles(WEB)) {
    const src = readFileSync(file, "utf8");
    const rel = path.relative(WEB, file);
    // Each declaration at its position: a call uses the nearest one before it (the same name
    // can hold another namespace in the next function of the file).
    const decls: { name: string; ns: string; at: number }[] = [];
    for (const m of src.matchAll(/const (\w+) = (?:await )?(?:useTranslations|getTranslations)\("([\w.]+)"\)/g)) decls.push({ name: m[1]!, ns: m[2]!, at: m.index });
    for (const m of src.matchAll(/const \[([\w,\s]+)\] = await Promise\.all\(\[([^\]]+)\]\)/g)) {
      const names = m[1]!.split(",").map((s) => s.trim());
      const namespaces = [...m[2]!.matchAll(/getTranslations\("([\w.]+)"\)/g)].map((x) => x[1]!);
      names.forEach((name, i) => namespaces[i] && decls.push({ name, ns: namespaces[i], at: m.index }));
    }
    for (const name of new Set(decls.map((d) => d.name))) {
      for (const m of src.matchAll(new RegExp(`\\b${name}(?:\\.rich|\\.markup)?\\("([\\w.]+)"`, "g"))) {
        const decl = decls.filter((d) => d.name === name && d.at < m.index).pop();
        if (decl) used.push({ file: rel, key: `${decl.ns}.${m[1]}` });
      }
    }
    for (const m of src.matchAll(/\(await getTranslations\("([\w.]+)"\)\)\("([\w.]+)"/g)) used.push({ file: rel, key: `${m[1]}.${m[2]}` });
  }
  return used;
}

describe("message catalogs", () => {
  const enKeys = leaves(en);
  const frKeys = leaves(fr);

  it("have exactly the same keys in English and French", () => {
    expect([...frKeys.keys()].sort()).toEqual([...enKeys.keys()].sort());
  });

  it("have no empty or non-text values", () => {
    for (const [name, catalog] of [["en", enKeys], ["fr", frKeys]] as const) {
      const bad = [...catalog].filter(([, v]) => typeof v !== "string" || !v.trim()).map(([k]) => `${name}: ${k}`);
      expect(bad).toEqual([]);
    }
  });

  it("hold every key the web app's code uses", () => {
    const used = usedKeys();
    // The scan must see the app's translations at all, or this test proves nothing.
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter(({ key }) => !enKeys.has(key)).map(({ file, key }) => `${file}: ${key}`)).toEqual([]);
  });

  it("use the same placeholders in both languages", () => {
    // An argument is `{name}` or `{name, plural|date|…`; a plural branch's text (`=0 {No session}`)
    // is words in braces, not an argument, and differs between languages.
    const args = (s: unknown) => [...String(s).matchAll(/\{(\w+)\s*[,}]/g)].map((m) => m[1]).sort();
    const differ = [...enKeys].filter(([k, v]) => JSON.stringify(args(v)) !== JSON.stringify(args(frKeys.get(k)))).map(([k]) => k);
    expect(differ).toEqual([]);
  });
});
