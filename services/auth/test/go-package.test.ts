/**
 * Every contract names its Go package by one rule, so `protoc --go_out` needs no flags and a
 * Go import path never changes under its users (buf breaking leaves go_package to this test).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { protoFiles } from "./proto-docs.js";

const PROTO = fileURLToPath(new URL("../../../proto", import.meta.url));
const GO_MODULE = "github.com/tessera-auth/tessera/gen/go";

describe("go_package", () => {
  it.each(protoFiles(PROTO).map((f) => [f.path, f.text]))("%s: <module>/<proto dir>;<name>v1", (path, text) => {
    const dir = path.slice(0, path.lastIndexOf("/"));
    const [, name, version] = dir.split("/");
    expect(text.match(/^option go_package = "(.*)";$/m)?.[1]).toBe(`${GO_MODULE}/${dir};${name}${version}`);
  });
});
