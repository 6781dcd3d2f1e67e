// When `npm start` must (re)build the web app, and how. A build counts as current only when it
// finished: `next build` writes BUILD_ID before it is done, so an interrupted or failed build
// used to look current and every later start died. The stamp below is written only after the
// build exited 0, and it names the sources it was built from.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The stamp file in the dist dir, written after a build that finished. */
export const BUILD_STAMP = "tessera-build-complete";

/** What the web build is made of, relative to the repository root. */
const SOURCES = ["web/app", "web/components", "web/lib", "web/types", "web/i18n", "web/messages", "web/proxy.ts", "web/next.config.ts", "gen", "package-lock.json"];

/** A SHA-256 over the names and contents of every file the web build reads. */
export function webSourceHash(root: string): string {
  const hash = createHash("sha256");
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!existsSync(abs)) return;
    if (statSync(abs).isDirectory()) {
      for (const e of readdirSync(abs).sort()) if (!e.startsWith(".") && e !== "node_modules" && e !== "test") walk(path.join(rel, e));
    } else {
      hash.update(`${rel}\0`).update(readFileSync(abs)).update("\0");
    }
  };
  for (const rel of SOURCES) walk(rel);
  return hash.digest("hex");
}

/** True when `distDir` holds a build that finished from exactly these sources. */
export function webBuildIsCurrent(distDir: string, sourceHash: string): boolean {
  try {
    return readFileSync(path.join(distDir, BUILD_STAMP), "utf8").trim() === sourceHash;
  } catch {
    return false;
  }
}

/** Before a build: whatever happens to it, the old stamp no longer vouches for the folder. */
export function clearBuildStamp(distDir: string): void {
  rmSync(path.join(distDir, BUILD_STAMP), { force: true });
}

/** After a build exited 0. */
export function markBuildComplete(distDir: string, sourceHash: string): void {
  writeFileSync(path.join(distDir, BUILD_STAMP), `${sourceHash}\n`);
}

/**
 * The build's environment: always NODE_ENV=production (`next build` fails while prerendering
 * under NODE_ENV=development, and a build is a production artefact whatever the shell says).
 */
export function buildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" };
}
