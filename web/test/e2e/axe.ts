// axe-core in a Playwright page: the WCAG 2.x A/AA rules plus axe's best practices. Any page
// of the app can be checked with `await expectNoAxeViolations(page, "label")` once it shows
// what should be checked (axe looks at the rendered DOM, colours included).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** The rule sets checked: WCAG 2.0/2.1/2.2 levels A and AA, and axe's best practices. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * The page's violations. axe is injected as a script tag (the context must be created with
 * `bypassCSP: true`: the app's Content-Security-Policy rightly refuses inline scripts without
 * its nonce).
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    type Raw = { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] };
    return (violations as Raw[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(" "), summary: n.failureSummary ?? "" })),
    }));
  }, AXE_TAGS);
}

/** Violations as lines a person can act on: rule, impact, help, and each element with why. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => [`${v.id} (${v.impact}): ${v.help}`, ...v.nodes.map((n) => `    at ${n.target}\n      ${n.summary.replace(/\n/g, "\n      ")}`)].join("\n"))
    .join("\n");
}

/** Fails with a readable list when axe finds anything on the page as it is now. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.length, `axe found ${violations.length} violation(s) on ${label} (${page.url()}):\n${formatViolations(violations)}`).toBe(0);
}
