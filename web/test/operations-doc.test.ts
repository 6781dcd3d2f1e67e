/**
 * docs/operations.md's configuration reference is complete and current: each service's table
 * has a row for exactly the variables its configuration schema reads. (Here, under web/, because
 * only the web app's TypeScript settings resolve both the services' and the web app's modules.)
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "../../services/auth/src/config/config.js";
import { GATEWAY_CONFIG_VARIABLES } from "../../services/gateway/src/config.js";
import { WEB_CONFIG_VARIABLES } from "../lib/server/web-config";

const doc = readFileSync(fileURLToPath(new URL("../../docs/operations.md", import.meta.url)), "utf8");

/** The variables named in the first cell of the table rows under `### <heading>`. */
function tableVariables(heading: string): string[] {
  const start = doc.indexOf(`\n### ${heading}\n`);
  expect(start, `docs/operations.md has no "### ${heading}"`).toBeGreaterThan(-1);
  const rest = doc.slice(start + heading.length + 6);
  const section = rest.slice(0, rest.search(/\n##+ /) === -1 ? undefined : rest.search(/\n##+ /));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...line.split("|")[1]!.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!));
}

describe("docs/operations.md configuration reference", () => {
  it.each([
    ["Auth service", CONFIG_VARIABLES],
    ["REST gateway", GATEWAY_CONFIG_VARIABLES],
    ["Web app", WEB_CONFIG_VARIABLES],
  ] as const)("lists every variable of the %s, and no other", (heading, variables) => {
    expect(variables.length).toBeGreaterThan(10);
    expect([...tableVariables(heading)].sort()).toEqual([...variables].sort());
  });

  it("links the metrics guide and the alert rules", () => {
    expect(doc).toContain("(metrics.md)");
    expect(doc).toContain("(../ops/prometheus/tessera-rules.yml)");
  });
});
