/**
 * The load the cluster test drives through the balancer: workers that sign in, check their
 * session, refresh and sign out, over gRPC, Connect and gRPC-Web to the auth frontend and over
 * REST to the gateway frontend. Each logical call is retried while the answer says the call may
 * go elsewhere (UNAVAILABLE; HTTP 502/503/504 or a reset connection from the gateway), as a
 * client should; every attempt is recorded with the phase it started in.
 */
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";

/** How a worker talks to the auth frontend. */
export type Protocol = "grpc" | "connect-h2" | "connect-http1" | "grpc-web";
export const PROTOCOLS: Protocol[] = ["grpc", "connect-h2", "connect-http1", "grpc-web"];

export function transportFor(protocol: Protocol, baseUrl: string): Transport {
  switch (protocol) {
    case "grpc":
      return createGrpcTransport({ baseUrl });
    case "connect-h2":
      return createConnectTransport({ baseUrl, httpVersion: "2" });
    case "connect-http1":
      return createConnectTransport({ baseUrl, httpVersion: "1.1" });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1" });
  }
}

/** One logical call (all its attempts). */
export interface CallRecord {
  phase: string;
  op: string;
  /** Milliseconds from the first attempt to the answer that ended the call. */
  ms: number;
  attempts: number;
  /** What the first failed attempt answered, when one failed. */
  firstError?: string;
  /** Set when the call failed for good (not retryable, or out of retries). */
  finalError?: string;
}

const MAX_ATTEMPTS = 8;

/** An HTTP answer from the gateway that the client may send again. */
class RetryableHttp extends Error {}

export class Recorder {
  phase = "warm-up";
  readonly calls: CallRecord[] = [];

  /** Runs `fn` until it succeeds, or fails in a way a client must not retry. */
  async call<T>(op: string, fn: () => Promise<T>): Promise<T> {
    const phase = this.phase;
    const started = performance.now();
    let firstError: string | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await fn();
        this.calls.push({ phase, op, ms: performance.now() - started, attempts: attempt, firstError });
        return result;
      } catch (err) {
        const why = describe(err);
        firstError ??= why;
        if (!retryable(err) || attempt === MAX_ATTEMPTS) {
          this.calls.push({ phase, op, ms: performance.now() - started, attempts: attempt, firstError, finalError: why });
          throw err;
        }
        await new Promise((r) => setTimeout(r, 50 * attempt));
      }
    }
  }
}

function retryable(err: unknown): boolean {
  if (err instanceof RetryableHttp) return true;
  // RFC 9113 §8.7: a stream refused with REFUSED_STREAM was not processed, so it may be sent
  // again; connect-node reports it as INTERNAL when Node surfaces it as a stream error.
  if (err instanceof ConnectError) return err.code === Code.Unavailable || /REFUSED_STREAM/.test(err.rawMessage);
  // fetch: the connection was reset or refused before an answer.
  return err instanceof TypeError && /fetch failed/.test(err.message);
}

function describe(err: unknown): string {
  if (err instanceof ConnectError) return `${Code[err.code]}: ${err.rawMessage.slice(0, 120)}`;
  if (err instanceof Error) return `${err.message}${err.cause instanceof Error ? ` (${(err.cause as NodeJS.ErrnoException).code ?? err.cause.message})` : ""}`;
  return String(err);
}

/** A session as its client saw it: every refresh token it was handed, in order. */
export interface SeenSession {
  userId: string;
  sessionId: string;
  refreshTokens: string[];
  /** POST /auth/logout answered 204. */
  loggedOut: boolean;
  /** A call of this session failed for good: its end state is unknown, so it is not checked. */
  abandoned: boolean;
}

export interface Account {
  email: string;
  password: string;
  userId: string;
}

/** What the workers saw, for the database checks. */
export interface Seen {
  sessions: SeenSession[];
  /** Per user: failed sign-in attempts, each of which may have opened a session nobody saw. */
  ambiguousSignIns: Map<string, number>;
}

interface Tokens {
  sessionId: string;
  accessToken: string;
  refreshToken: string;
}

/** JSON through the gateway frontend; 502/503/504 are retryable, any other non-2xx fails. */
async function rest(gatewayUrl: string, method: string, path: string, opts: { json?: unknown; authorization?: string } = {}): Promise<any> {
  const headers: Record<string, string> = {};
  if (opts.json !== undefined) headers["content-type"] = "application/json";
  if (opts.authorization) headers.authorization = opts.authorization;
  const res = await fetch(`${gatewayUrl}${path}`, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json) });
  const text = await res.text();
  if (res.status === 502 || res.status === 503 || res.status === 504) throw new RetryableHttp(`HTTP ${res.status} ${text.slice(0, 120)}`);
  if (res.status >= 300) throw new Error(`HTTP ${res.status} ${method} ${path}: ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * One worker: until `stop` aborts, sign in (gRPC-family on even rounds, REST on odd ones), check
 * the session (GetMe and GET /users/me), refresh over both, and sign out through the gateway.
 */
export async function runWorker(opts: {
  account: Account;
  protocol: Protocol;
  authUrl: string;
  gatewayUrl: string;
  recorder: Recorder;
  seen: Seen;
  stop: AbortSignal;
}): Promise<void> {
  const { account, recorder, seen, gatewayUrl } = opts;
  const transport = transportFor(opts.protocol, opts.authUrl);
  const auth: Client<typeof AuthService> = createClient(AuthService, transport);
  const users: Client<typeof UserService> = createClient(UserService, transport);
  const tag = (op: string) => `${op} (${opts.protocol})`;
  for (let round = 0; !opts.stop.aborted; round++) {
    let session: SeenSession | undefined;
    try {
      let tokens: Tokens;
      const signIn = async <T>(op: string, fn: () => Promise<T>) =>
        recorder.call(op, async () => {
          try {
            return await fn();
          } catch (err) {
            // The attempt may have reached a replica that opened a session nobody will see.
            seen.ambiguousSignIns.set(account.userId, (seen.ambiguousSignIns.get(account.userId) ?? 0) + 1);
            throw err;
          }
        });
      if (round % 2 === 0) {
        const res = await signIn(tag("Login"), () => auth.login({ email: account.email, password: account.password }));
        tokens = { sessionId: res.tokens!.sessionId, accessToken: res.tokens!.accessToken, refreshToken: res.tokens!.refreshToken };
      } else {
        const res = await signIn("POST /auth/login", () => rest(gatewayUrl, "POST", "/auth/login", { json: { email: account.email, password: account.password } }));
        tokens = res.tokens as Tokens;
      }
      session = { userId: account.userId, sessionId: tokens.sessionId, refreshTokens: [tokens.refreshToken], loggedOut: false, abandoned: false };
      seen.sessions.push(session);
      const bearer = () => ({ headers: { authorization: `Bearer ${tokens.accessToken}` } });

      for (let i = 0; i < 2 && !opts.stop.aborted; i++) {
        const me = await recorder.call(tag("GetMe"), () => users.getMe({}, bearer()));
        if (me.user?.id !== account.userId) throw new Error(`GetMe answered ${me.user?.id}, not ${account.userId}`);
        const rotated = await recorder.call(tag("Refresh"), () => auth.refresh({ refreshToken: tokens.refreshToken }));
        tokens = { sessionId: rotated.tokens!.sessionId, accessToken: rotated.tokens!.accessToken, refreshToken: rotated.tokens!.refreshToken };
        session.refreshTokens.push(tokens.refreshToken);
        const restMe = await recorder.call("GET /users/me", () => rest(gatewayUrl, "GET", "/users/me", { authorization: `Bearer ${tokens.accessToken}` }));
        if (restMe.user?.id !== account.userId) throw new Error(`GET /users/me answered ${restMe.user?.id}`);
        const viaGateway = await recorder.call("POST /auth/refresh", () => rest(gatewayUrl, "POST", "/auth/refresh", { authorization: `Refresh ${tokens.refreshToken}` }));
        tokens = viaGateway.tokens as Tokens;
        session.refreshTokens.push(tokens.refreshToken);
      }
      await recorder.call("POST /auth/logout", () => rest(gatewayUrl, "POST", "/auth/logout", { authorization: `Refresh ${tokens.refreshToken}` }));
      session.loggedOut = true;
    } catch {
      // Recorded as a failed call; the test fails on it. Start over with a new session.
      if (session) session.abandoned = true;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Calls, failures and latency percentiles of each phase, in the order phases began. */
export interface PhaseFigures {
  phase: string;
  calls: number;
  /** Calls whose first attempt failed (a client without retries would have seen an error). */
  failedFirstAttempt: number;
  /** Calls that failed even after retrying UNAVAILABLE. */
  failed: number;
  p50: number;
  p99: number;
  errors: string[];
}

export function figures(calls: CallRecord[]): PhaseFigures[] {
  const phases = [...new Set(calls.map((c) => c.phase))];
  return phases.map((phase) => {
    const mine = calls.filter((c) => c.phase === phase);
    const ms = mine.map((c) => c.ms).sort((a, b) => a - b);
    const pct = (p: number) => Math.round(ms[Math.min(ms.length - 1, Math.ceil((p / 100) * ms.length) - 1)] ?? 0);
    const errors = mine.filter((c) => c.firstError).map((c) => `${c.op}: ${c.finalError ? `FAILED ${c.finalError}` : `retried ok after ${c.firstError}`}`);
    return {
      phase,
      calls: mine.length,
      failedFirstAttempt: mine.filter((c) => c.firstError).length,
      failed: mine.filter((c) => c.finalError).length,
      p50: pct(50),
      p99: pct(99),
      errors: [...new Set(errors)].slice(0, 10),
    };
  });
}

export function figuresTable(rows: PhaseFigures[]): string {
  const lines = ["| phase | calls | failed first attempt | failed after retries | p50 ms | p99 ms |", "|---|---:|---:|---:|---:|---:|"];
  for (const r of rows) lines.push(`| ${r.phase} | ${r.calls} | ${r.failedFirstAttempt} | ${r.failed} | ${r.p50} | ${r.p99} |`);
  return lines.join("\n");
}
