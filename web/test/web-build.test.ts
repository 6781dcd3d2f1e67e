// `npm start` rebuilds the web app unless a build of the same sources finished (an interrupted
// build used to leave a BUILD_ID that every later start trusted), and builds as production
// whatever NODE_ENV the shell has.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildEnv, clearBuildStamp, markBuildComplete, webBuildIsCurrent, webSourceHash } from "../../scripts/web-build.js";

let root: string;
let dist: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "tessera-web-build-"));
  dist = path.join(root, "web", ".next");
  mkdirSync(path.join(root, "web", "app"), { recursive: true });
  mkdirSync(path.join(root, "gen"), { recursive: true });
  writeFileSync(path.join(root, "web", "app", "page.tsx"), "export default function Page() { return null; }\n");
  writeFileSync(path.join(root, "gen", "a_pb.ts"), "export {};\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("webBuildIsCurrent", () => {
  it("does not trust a BUILD_ID that an interrupted or failed build left behind", () => {
    mkdirSync(dist, { recursive: true });
    writeFileSync(path.join(dist, "BUILD_ID"), "abc123");
    expect(webBuildIsCurrent(dist, webSourceHash(root))).toBe(false);
  });

  it("trusts a finished build of the same sources only", () => {
    mkdirSync(dist, { recursive: true });
    const hash = webSourceHash(root);
    markBuildComplete(dist, hash);
    expect(webBuildIsCurrent(dist, webSourceHash(root))).toBe(true);

    writeFileSync(path.join(root, "web", "app", "page.tsx"), "export default function Page() { return 1; }\n");
    expect(webBuildIsCurrent(dist, webSourceHash(root))).toBe(false);
    writeFileSync(path.join(root, "web", "app", "page.tsx"), "export default function Page() { return null; }\n");
    expect(webBuildIsCurrent(dist, webSourceHash(root))).toBe(true);
    writeFileSync(path.join(root, "gen", "b_pb.ts"), "export {};\n");
    expect(webBuildIsCurrent(dist, webSourceHash(root))).toBe(false);
  });

  it("stops trusting the folder as soon as a rebuild starts", () => {
    mkdirSync(dist, { recursive: true });
    markBuildComplete(dist, webSourceHash(root));
    clearBuildStamp(dist); // the rebuild is interrupted here
    expect(webBuildIsCurrent(dist, webSourceHash(root))).toBe(false);
    clearBuildStamp(path.join(root, "missing")); // nothing to clear is fine
  });

  it("ignores the tests and dot folders of the app", () => {
    const before = webSourceHash(root);
    mkdirSync(path.join(root, "web", "app", ".cache"), { recursive: true });
    writeFileSync(path.join(root, "web", "app", ".cache", "x"), "1");
    expect(webSourceHash(root)).toBe(before);
  });
});

describe("buildEnv", () => {
  it("builds as production whatever NODE_ENV the user has", () => {
    for (const NODE_ENV of ["development", "test", undefined]) {
      expect(buildEnv({ NODE_ENV, TESSERA_ENV: "development", PATH: "/bin" } as unknown as NodeJS.ProcessEnv)).toMatchObject({ NODE_ENV: "production", TESSERA_ENV: "development", PATH: "/bin" });
    }
  });
});
