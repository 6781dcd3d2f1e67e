/**
 * HAProxy from Debian (/usr/sbin/haproxy) running ops/haproxy/tessera.cfg, the documented
 * configuration, unchanged: the test only fills in the addresses through the environment.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT, start, type Running } from "../child.js";

export const HAPROXY = process.env.TESSERA_HAPROXY ?? "/usr/sbin/haproxy";
export const HAPROXY_CONFIG = join(REPO_ROOT, "ops/haproxy/tessera.cfg");

/** Why the cluster test cannot run here, or undefined when it can. */
export function haproxyMissing(): string | undefined {
  return existsSync(HAPROXY) ? undefined : `${HAPROXY} not found (apt-get install -y haproxy, or TESSERA_HAPROXY=<path>)`;
}

/** The addresses tessera.cfg reads (host:port each). */
export interface BalancerAddresses {
  authBind: string;
  gatewayBind: string;
  statsBind: string;
  auth: [string, string, string];
  gateways: [string, string];
}

/** One row of HAProxy's status page. */
export interface ServerState {
  backend: string;
  server: string;
  /** UP, DOWN, "UP 1/2" (going down), "DOWN 1/2" (coming up), MAINT, no check… */
  status: string;
}

export interface Balancer {
  process: Running;
  /** Every server line's state, from the CSV status page. */
  states(): Promise<ServerState[]>;
  /** Resolves once `server` of `backend` has exactly this status. */
  waitFor(backend: string, server: string, status: "UP" | "DOWN", timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export function balancerEnv(a: BalancerAddresses): Record<string, string> {
  return {
    TESSERA_LB_AUTH_BIND: a.authBind,
    TESSERA_LB_GATEWAY_BIND: a.gatewayBind,
    TESSERA_LB_STATS_BIND: a.statsBind,
    TESSERA_AUTH_1: a.auth[0],
    TESSERA_AUTH_2: a.auth[1],
    TESSERA_AUTH_3: a.auth[2],
    TESSERA_GATEWAY_1: a.gateways[0],
    TESSERA_GATEWAY_2: a.gateways[1],
  };
}

/** Starts HAProxy in the foreground (-db) and waits until its status page answers. */
export async function startBalancer(a: BalancerAddresses): Promise<Balancer> {
  const env = { PATH: process.env.PATH ?? "", ...balancerEnv(a) };
  const check = start(HAPROXY, ["-c", "-q", "-f", HAPROXY_CONFIG], { env });
  const checked = await check.exited;
  if (checked.code !== 0) throw new Error(`haproxy -c refused ${HAPROXY_CONFIG}:\n${checked.stdout}${checked.stderr}`);
  const p = start(HAPROXY, ["-db", "-f", HAPROXY_CONFIG], { env });
  const statsUrl = `http://${a.statsBind}/stats;csv`;

  async function states(): Promise<ServerState[]> {
    const res = await fetch(statsUrl);
    if (!res.ok) throw new Error(`haproxy stats: HTTP ${res.status}`);
    const [header, ...rows] = (await res.text()).trim().split("\n");
    const cols = header!.replace(/^# /, "").split(",");
    const at = (name: string) => cols.indexOf(name);
    return rows
      .map((r) => r.split(","))
      .filter((r) => r[at("svname")] !== "FRONTEND" && r[at("svname")] !== "BACKEND")
      .map((r) => ({ backend: r[at("pxname")]!, server: r[at("svname")]!, status: r[at("status")]! }));
  }

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (p.child.exitCode !== null) throw new Error(`haproxy exited:\n${p.stdout()}${p.stderr()}`);
    try {
      await states();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    process: p,
    states,
    async waitFor(backend, server, status, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      let last = "";
      while (Date.now() < until) {
        last = (await states()).find((s) => s.backend === backend && s.server === server)?.status ?? "(no such server)";
        if (last === status) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${backend}/${server} still ${last} after ${timeoutMs} ms, not ${status}`);
    },
    async stop() {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
      await p.exited;
    },
  };
}
