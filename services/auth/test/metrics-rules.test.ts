/**
 * ops/prometheus/tessera-rules.yml and docs/metrics.md against the metrics the services really
 * register: every alert is well-formed and names only metrics that exist, and the guide
 * describes every metric and every alert. (promtool is not installed; this is the check we can run.)
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { AuthMetrics } from "../src/metrics/auth-metrics.js";
import { registerScrapeGauges } from "../src/metrics/scrape-gauges.js";
import { GatewayMetrics } from "../../gateway/src/metrics.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function registeredNames(): Set<string> {
  const auth = new AuthMetrics();
  registerScrapeGauges(auth.registry, {
    outbox: async () => ({ queued: 0, oldestQueuedSeconds: 0, failed: 0 }),
    pool: () => ({ total: 0, idle: 0, waiting: 0, max: 10 }),
    argon2InFlight: () => 0,
    keySchedule: async () => ({ activeSince: undefined, newestActivatesAt: undefined }),
    keyRotationSeconds: 3600,
    serving: () => true,
  });
  const gateway = new GatewayMetrics();
  return new Set([...auth.registry.getMetricsAsArray(), ...gateway.registry.getMetricsAsArray()].map((m) => m.name));
}

const names = registeredNames();
const ours = [...names].filter((n) => n.startsWith("tessera_"));
const rules: Rule[] = (parse(readFileSync(`${ROOT}ops/prometheus/tessera-rules.yml`, "utf8")) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const guide = readFileSync(`${ROOT}docs/metrics.md`, "utf8");

describe("ops/prometheus/tessera-rules.yml", () => {
  it("is a list of named, labelled, described alerts", () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
    const alerts = rules.map((r) => r.alert);
    expect(new Set(alerts).size).toBe(alerts.length);
    for (const r of rules) {
      expect(r.alert, r.expr).toMatch(/^Tessera[A-Za-z0-9]+$/);
      expect(["critical", "warning"], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      if (r.for !== undefined) expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(balanced(r.expr), r.alert).toBe(true);
    }
  });

  it("uses only metrics the services register (histograms by their _bucket/_sum/_count series)", () => {
    for (const r of rules) {
      const used = [...r.expr.matchAll(/\b(tessera_[a-z0-9_]+)/g)].map((m) => m[1]!);
      expect(used.length, r.alert).toBeGreaterThan(0);
      for (const metric of used) {
        const registered = names.has(metric) ? metric : metric.replace(/_(bucket|sum|count)$/, "");
        expect(names, `${r.alert} uses ${metric}`).toContain(registered);
      }
    }
  });

  it("covers what the issue asks to alert on", () => {
    const exprs = rules.map((r) => r.expr).join("\n");
    for (const metric of ["tessera_outbox_oldest_queued_age_seconds", "tessera_refresh_token_reuse_total", "tessera_serving", "tessera_signing_key_age_seconds", "tessera_signing_key_next_activation_seconds", "tessera_argon2_in_flight"])
      expect(exprs).toContain(metric);
    expect(exprs).toContain('code="unavailable"');
    expect(rules.find((r) => r.alert === "TesseraOutboxStuck")?.expr).toMatch(/> 900\b/);
  });
});

describe("docs/metrics.md", () => {
  it("describes every tessera_ metric the services register", () => {
    expect(ours.length).toBeGreaterThanOrEqual(20);
    for (const metric of ours) expect(guide, metric).toContain(`**\`${metric}\`**`);
  });

  it("names every alert of the rules file", () => {
    for (const r of rules) expect(guide, r.alert).toContain(r.alert!);
  });

  it("describes no metric that does not exist", () => {
    const described = [...guide.matchAll(/\*\*`(tessera_[a-z0-9_]+)`\*\*/g)].map((m) => m[1]!);
    for (const metric of described) expect(names, metric).toContain(metric);
  });
});

function balanced(expr: string): boolean {
  let depth = 0;
  for (const c of expr.replace(/"(?:[^"\\]|\\.)*"/g, "")) {
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    if (depth < 0) return false;
  }
  return depth === 0;
}
