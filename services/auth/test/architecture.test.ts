import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cycles, folderGraph, folderOf, importsOf, sourceFiles } from "./import-graph.js";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

/**
 * The transport layer: the listener and wiring (server), Connect handlers (rpc), plain HTTP
 * routes (http), the gRPC health and reflection services (grpc), and the entry point. Everything
 * else is domain, configuration or persistence, and must not know how it is called.
 */
const TRANSPORT = new Set(["server", "rpc", "http", "grpc", "main.ts"]);
const isTransport = (file: string) => TRANSPORT.has(folderOf(file));

const files = sourceFiles(SRC);

describe("the auth service's layers", () => {
  it("has no domain file that imports Connect or a transport folder", () => {
    const offenders = files
      .filter((file) => !isTransport(file))
      .flatMap((file) =>
        importsOf(SRC, file)
          .filter((i) => i.specifier.startsWith("@connectrpc/") || (i.target !== undefined && isTransport(i.target)))
          .map((i) => `${file} imports ${i.specifier}`),
      );
    expect(offenders).toEqual([]);
  });

  it("keeps kernel/ a leaf: it imports nothing of the service", () => {
    const kernel = files.filter((file) => folderOf(file) === "kernel");
    expect(kernel.length).toBeGreaterThan(0);
    const outward = kernel.flatMap((file) =>
      importsOf(SRC, file)
        .filter((i) => i.target === undefined ? !i.specifier.startsWith("node:") : folderOf(i.target) !== "kernel")
        .map((i) => `${file} imports ${i.specifier}`),
    );
    expect(outward).toEqual([]);
  });

  it("has no import cycle between folders", () => {
    const graph = folderGraph(SRC);
    expect(graph.size).toBeGreaterThan(10);
    expect(cycles(graph)).toEqual([]);
  });

  it("builds ConnectErrors only at the boundary", () => {
    const builders = files.filter((file) => /new ConnectError\(/.test(readText(file)));
    expect(builders.filter((file) => !["server/error-boundary.ts", "grpc/health.ts"].includes(file))).toEqual([]);
  });
});

function readText(file: string): string {
  return readFileSync(`${SRC}/${file}`, "utf8");
}
