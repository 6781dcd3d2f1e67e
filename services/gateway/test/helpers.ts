/** Shared setup of the gateway suites: a real auth service and a gateway in front of it. */
import { pino } from "pino";
import { expect } from "vitest";
import { loadGatewayConfig } from "../src/config.js";
import { startGateway, type Gateway, type GatewayOptions } from "../src/server.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../../auth/test/harness.js";

export { GOOD_PASSWORD, uniqueEmail };

export async function startTestGateway(auth: TestServer, env: Record<string, string> = {}, opts: GatewayOptions = {}): Promise<Gateway> {
  const config = loadGatewayConfig({ TESSERA_ENV: "test", GATEWAY_DRAIN_SECONDS: "0", GATEWAY_PORT: "0", METRICS_ADDRESS: "127.0.0.1:0", TESSERA_AUTH_URL: auth.baseUrl, LOG_LEVEL: "silent", ...env });
  return startGateway(config, pino({ level: "silent" }), opts);
}

/** A real auth service (with `authEnv`) and a gateway in front of it (with `gatewayEnv`); stop them with stopAuthAndGateway. */
export async function startAuthAndGateway(authEnv: Record<string, string> = {}, gatewayEnv: Record<string, string> = {}): Promise<{ auth: TestServer; gw: Gateway }> {
  const auth = await startTestServer(authEnv);
  try {
    return { auth, gw: await startTestGateway(auth, gatewayEnv) };
  } catch (err) {
    await auth.stop();
    throw err;
  }
}

/** Stops the gateway, then the auth service; either may be missing when setup failed. */
export async function stopAuthAndGateway({ auth, gw }: { auth?: TestServer; gw?: Gateway }): Promise<void> {
  await gw?.stop();
  await auth?.stop();
}

/** fetch against the gateway, returning status, headers and the parsed JSON body (if any). */
export async function call(
  gw: Gateway,
  method: string,
  path: string,
  opts: { json?: unknown; headers?: Record<string, string>; body?: RequestInit["body"] } = {},
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...opts.headers };
  let body = opts.body;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  }
  const res = await fetch(`${gw.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Registers an account through the gateway. */
export async function register(gw: Gateway, email = uniqueEmail("gw")) {
  const r = await call(gw, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD, name: "Ada" } });
  expect(r.status).toBe(201);
  return { email, userId: r.body.user.id as string, accessToken: r.body.tokens.accessToken as string, refreshToken: r.body.tokens.refreshToken as string, sessionId: r.body.tokens.sessionId as string };
}

/** The newest token mailed to `to` in a link to `path`, read from the auth service's dev mailbox. */
export async function mailedToken(auth: TestServer, to: string, path: string): Promise<string> {
  let token = "";
  await expect
    .poll(
      async () => {
        const res = await fetch(`${auth.baseUrl}/dev/mail?to=${encodeURIComponent(to)}`);
        const { messages } = (await res.json()) as { messages: { text: string }[] };
        const m = messages.map((x) => new RegExp(`${path}\\?token=([A-Za-z0-9_-]{43})\\b`).exec(x.text)).find(Boolean);
        token = m?.[1] ?? "";
        return token;
      },
      { timeout: 10_000, interval: 100 },
    )
    .not.toBe("");
  return token;
}

/** The claims of a JWT, unverified. */
export function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}
