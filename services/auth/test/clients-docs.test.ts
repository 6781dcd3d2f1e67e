import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * docs/clients.md shows the example clients CI runs, not copies of them: each file it embeds
 * follows a `<!-- file: PATH -->` marker as the next fenced block, and must be that file as
 * committed.
 */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOC = readFileSync(`${ROOT}docs/clients.md`, "utf8");
const EMBEDDED = [...DOC.matchAll(/^<!-- file: (\S+) -->\n```[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => ({ path: m[1]!, text: m[2]! }));

describe("docs/clients.md", () => {
  it.each(["python", "go"])("embeds every file of the %s example", (language) => {
    const files = readdirSync(`${ROOT}examples/${language}`, { withFileTypes: true })
      .filter((entry) => entry.isFile()) // not __pycache__
      .map((entry) => `examples/${language}/${entry.name}`);
    expect(files.length).toBeGreaterThan(0);
    expect(EMBEDDED.map((e) => e.path)).toEqual(expect.arrayContaining(files));
  });

  it.each(EMBEDDED)("shows $path as it is in the repository", ({ path, text }) => {
    expect(text, `docs/clients.md differs from ${path}: paste the file again`).toBe(readFileSync(`${ROOT}${path}`, "utf8"));
  });
});
