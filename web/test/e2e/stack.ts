// The real pieces the browser tests drive: the auth service (in this process, against the
// test database), a local OpenID provider (oidc-provider), and the web app built for
// production and served by web/server.ts (as `npm start` serves it), plus headless Debian
// Chromium via playwright-core.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { freePort } from "../../../services/auth/test/free-port.js";
import { fileURLToPath } from "node:url";
import Provider from "oidc-provider";
import { chromium, type Browser } from "playwright-core";
import { startTestServer, type TestServer } from "../../../services/auth/test/harness.js";

export const WEB_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const DIST_DIR = ".next-test";
export const NEXT_BIN = fileURLToPath(new URL("../../../node_modules/next/dist/bin/next", import.meta.url));
export const WEB_SERVER = fileURLToPath(new URL("../../server.ts", import.meta.url));

export { freePort };

export const CHROMIUM_PATH = process.env.TESSERA_CHROMIUM ?? "/usr/bin/chromium";
/** Why the browser tests cannot run here, or undefined when they can. */
export const browserSkipReason = existsSync(CHROMIUM_PATH)
  ? undefined
  : `Chromium not found at ${CHROMIUM_PATH}: install it with 'apt-get install -y chromium' (CI does) or set TESSERA_CHROMIUM`;
// CI installs Chromium (.ci/run): there, a missing browser is a failure, not a skip.
if (browserSkipReason && process.env.CI) throw new Error(browserSkipReason);

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited ${code}:\n${out}`))));
  });
}

/**
 * `next build` into web/.next-test (or `distDir`: test files that run at the same time need
 * their own, or their builds overwrite each other). The build sees `secrets` in its
 * environment, as a CI or production build would, so a test can check none of them reached
 * the browser's chunks.
 */
export async function buildWeb(secrets: Record<string, string>, distDir = DIST_DIR): Promise<void> {
  await run(process.execPath, [NEXT_BIN, "build", "--webpack"], { ...process.env, ...secrets, TESSERA_WEB_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" }, WEB_DIR);
}

export interface WebServer {
  url: string;
  logs: () => string;
  stop(): Promise<void>;
}

/** The environment the web server gets: this process's, minus the web app's own settings, plus `env`. */
function webEnv(port: number, env: Record<string, string>, distDir = DIST_DIR): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TESSERA_|NEXTAUTH_|GOOGLE_)/.test(k)));
  return { ...base, TESSERA_WEB_PORT: String(port), ...env, TESSERA_WEB_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" };
}

/** How a test serves the build: web/server.ts (what `npm start` runs), or plain `next start`. */
function serverArgs(port: number, how: "server" | "next start"): string[] {
  return how === "server" ? ["--import", "tsx", WEB_SERVER] : [NEXT_BIN, "start", "--port", String(port), "--hostname", "127.0.0.1"];
}

/** The web server with `env`, expected to refuse to start: resolves with its exit code and output. */
export function startWebExpectingRefusal(
  port: number,
  env: Record<string, string>,
  how: "server" | "next start" = "server",
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, serverArgs(port, how), { cwd: WEB_DIR, env: webEnv(port, env), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** web/server.ts on `port` with `env` (serving the build in `distDir`); resolves once it answers. */
export async function startWeb(port: number, env: Record<string, string>, distDir = DIST_DIR): Promise<WebServer> {
  const child: ChildProcess = spawn(process.execPath, serverArgs(port, "server"), {
    cwd: WEB_DIR,
    env: webEnv(port, env, distDir),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let logs = "";
  child.stdout!.on("data", (d) => (logs += d));
  child.stderr!.on("data", (d) => (logs += d));
  const url = `http://localhost:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`the web server exited:\n${logs}`);
    try {
      await fetch(`${url}/api/auth/providers`);
      break;
    } catch {
      if (i > 150) throw new Error(`the web server did not answer:\n${logs}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    logs: () => logs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** An account at the test OpenID provider: its login name is its subject. */
export interface IdpAccount {
  email: string;
  emailVerified: boolean;
  name?: string;
}

export interface OpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, IdpAccount>;
  stop(): Promise<void>;
}

/**
 * A real OpenID Connect provider on 127.0.0.1 (oidc-provider, with its built-in development
 * login and consent pages: any password is accepted for a login listed in `accounts`).
 */
export async function startOpenIdProvider(port: number, redirectUri: string): Promise<OpenIdProvider> {
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = "tessera-web";
  const clientSecret = randomBytes(24).toString("base64url");
  const accounts = new Map<string, IdpAccount>();
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    // Put the email claims in the ID token, as Google does (next-auth reads the ID token).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    async findAccount(_ctx, sub) {
      const a = accounts.get(sub);
      if (!a) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: a.email, email_verified: a.emailVerified, name: a.name }) };
    },
  });
  provider.on("server_error", (_ctx, err) => console.error("oidc-provider:", err));
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The secrets a deployment gives both the auth service and the web app (the build sees them too). */
export type StackSecrets = { TESSERA_SERVICE_CREDENTIAL: string; NEXTAUTH_SECRET: string };

/** Fresh secrets, as a real deployment would have them (the build sees them too). */
export function randomStackSecrets(): StackSecrets {
  return { TESSERA_SERVICE_CREDENTIAL: `svc-${randomBytes(24).toString("hex")}`, NEXTAUTH_SECRET: `nas-${randomBytes(24).toString("hex")}` };
}

/** Everything a browser test drives, wired to each other on free ports. */
export interface BrowserStack {
  auth: TestServer;
  idp: OpenIdProvider;
  web: WebServer;
  browser: Browser;
}

/**
 * The auth service, the OpenID provider (offered on the sign-in page as "Test IdP") and the web
 * app built into `distDir`, all with `secrets`, in development mode; then Chromium. What started
 * is stopped again if a later piece fails.
 */
export async function startBrowserStack(secrets: StackSecrets, distDir = DIST_DIR): Promise<BrowserStack> {
  const [authPort, webPort, idpPort] = [await freePort(), await freePort(), await freePort()];
  const webUrl = `http://localhost:${webPort}`;
  const started: Partial<BrowserStack> = {};
  try {
    const [auth, idp] = await Promise.all([
      startTestServer({ TESSERA_AUTH_PORT: String(authPort), TESSERA_PUBLIC_URL: `http://127.0.0.1:${authPort}`, TESSERA_WEB_URL: webUrl, ...secrets }).then((a) => (started.auth = a)),
      startOpenIdProvider(idpPort, `${webUrl}/api/auth/callback/oidc`).then((p) => (started.idp = p)),
      buildWeb(secrets, distDir),
    ]);
    const web = (started.web = await startWeb(
      webPort,
      {
        ...secrets,
        TESSERA_ENV: "development",
        NEXTAUTH_URL: webUrl,
        TESSERA_AUTH_URL: auth.baseUrl,
        TESSERA_OIDC_ISSUER: idp.issuer,
        TESSERA_OIDC_CLIENT_ID: idp.clientId,
        TESSERA_OIDC_CLIENT_SECRET: idp.clientSecret,
        TESSERA_OIDC_NAME: "Test IdP",
      },
      distDir,
    ));
    return { auth, idp, web, browser: await launchChromium() };
  } catch (err) {
    await stopBrowserStack(started);
    throw err;
  }
}

/** Stops what startBrowserStack started, the browser first; prints the web server's log when TESSERA_E2E_LOGS is set. */
export async function stopBrowserStack({ auth, idp, web, browser }: Partial<BrowserStack>): Promise<void> {
  if (process.env.TESSERA_E2E_LOGS) console.log(web?.logs());
  await browser?.close();
  await web?.stop();
  await idp?.stop();
  await auth?.stop();
}
