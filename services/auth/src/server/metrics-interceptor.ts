import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { DescMethod } from "@bufbuild/protobuf";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import type { AuthMetrics, RpcInstruments, SignInMethod } from "../metrics/auth-metrics.js";

/** The RPCs that sign someone in, by the method the sign-in counts under. */
const SIGN_INS: Record<string, SignInMethod> = {
  "tessera.auth.v1.AuthService/Login": "password",
  "tessera.auth.v1.AuthService/FinishPasskeySignIn": "passkey",
  "tessera.auth.v1.AuthService/CompleteSignIn": "second_step",
  "tessera.adapter.v1.AdapterService/IssueTokens": "oauth",
};

/** Codes that say the service could not do its part; such a sign-in attempt is no user's failure. */
const SERVER_SIDE = new Set([Code.Unavailable, Code.Internal, Code.Unknown, Code.DeadlineExceeded, Code.Canceled, Code.Unimplemented, Code.DataLoss]);

/** snake_case code names as Connect writes them ("invalid_argument"), by code number. */
const CODE_NAMES: string[] = [];
for (const [name, value] of Object.entries(Code)) if (typeof value === "number") CODE_NAMES[value] = name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();

interface Bound {
  rpc: RpcInstruments;
  /** Counter children by code number, bound at first use. */
  byCode: ({ inc(): void } | undefined)[];
  signIn: SignInMethod | undefined;
}

/**
 * Counts every RPC by service, method and code and times it; counts sign-ins by method and
 * outcome and refresh-token reuse. It must run outside `observe`, so it sees the code the client
 * gets (database outages already UNAVAILABLE). Instruments are bound once per method.
 */
export function measure(metrics: AuthMetrics): Interceptor {
  const bound = new WeakMap<DescMethod, Bound>();
  const bind = (method: DescMethod): Bound => {
    const service = method.parent.typeName;
    const b: Bound = { rpc: metrics.rpc(service, method.name), byCode: [], signIn: SIGN_INS[`${service}/${method.name}`] };
    bound.set(method, b);
    return b;
  };
  const count = (b: Bound, code: number) => (b.byCode[code] ??= b.rpc.calls(code === 0 ? "ok" : CODE_NAMES[code] ?? String(code))).inc();

  return (next) => async (req) => {
    const b = bound.get(req.method) ?? bind(req.method);
    const started = performance.now();
    try {
      const res = await next(req);
      b.rpc.seconds.observe((performance.now() - started) / 1000);
      count(b, 0);
      if (b.signIn !== undefined && !res.stream) {
        const challenged = (res.message as { secondFactorChallenge?: unknown }).secondFactorChallenge !== undefined;
        metrics.signIn(b.signIn, challenged ? "second_factor_challenge" : "success");
      }
      return res;
    } catch (err) {
      b.rpc.seconds.observe((performance.now() - started) / 1000);
      const code = err instanceof ConnectError ? err.code : Code.Unknown;
      count(b, code);
      if (b.signIn !== undefined && !SERVER_SIDE.has(code)) metrics.signIn(b.signIn, code === Code.ResourceExhausted ? "throttled" : "failure");
      if (code === Code.Unauthenticated) {
        const [detail] = (err as ConnectError).findDetails(ErrorDetailSchema);
        if (detail?.reason === "auth.refresh_token_reused") metrics.refreshReuse.inc();
      }
      throw err;
    }
  };
}
