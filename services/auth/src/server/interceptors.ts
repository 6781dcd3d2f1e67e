import { randomUUID } from "node:crypto";
import { Code, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../config/logger.js";
import { kTrace } from "../rpc/context.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { publicError, undeclaredReason, undeclaredReasonError } from "./error-boundary.js";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The one error boundary and access log of every RPC: logs each call under its request id
 * (`x-request-id`; startApp's HTTP layer validates it and echoes it on every response, also on
 * those Connect sends before interceptors run), turns database outages into
 * UNAVAILABLE, values PostgreSQL refused into INVALID_ARGUMENT, and any other unexpected error
 * into a bare INTERNAL, and logs one line per call
 * without request bodies. Names the request's span after the RPC and records its code (the
 * log lines carry trace_id and span_id through the logger's mixin).
 *
 * An ErrorDetail reason the RPC's contract does not declare (its `(tessera.errors.v1.reasons)`
 * option, besides the reasons any RPC can give) is logged as an error. With
 * `failUndeclaredReasons` (test mode) the call answers INTERNAL instead, so every test that
 * reaches such a path fails; otherwise the error goes to the client unchanged.
 */
export function observe(logger: Logger, opts: { failUndeclaredReasons?: boolean } = {}): Interceptor {
  return (next) => async (req) => {
    const requestId = requestIdFor(req.header.get("x-request-id"));
    const log = logger.child({ requestId, rpc: `${req.service.typeName}/${req.method.name}` });
    const started = performance.now();
    const span = req.contextValues.get(kTrace);
    span?.nameRpc(req.service.typeName, req.method.name, /^application\/grpc/.test(req.header.get("content-type") ?? "") ? "grpc" : "connect_rpc");
    try {
      const res = await next(req);
      span?.rpcStatus(0);
      log.info({ code: "ok", ms: Math.round(performance.now() - started) }, "rpc");
      return res;
    } catch (err) {
      let error = publicError(err);
      const undeclared = undeclaredReason(req.method, error);
      if (undeclared !== undefined) {
        log.error({ reason: undeclared, err: describe(err) }, "rpc answered a reason its contract does not declare");
        if (opts.failUndeclaredReasons) error = undeclaredReasonError(req.method, undeclared, err);
      }
      span?.rpcStatus(error.code);
      const [detail] = error.findDetails(ErrorDetailSchema);
      const line = { code: Code[error.code], reason: detail?.reason, ms: Math.round(performance.now() - started) };
      if (error.code === Code.Internal) log.error({ ...line, err: error.cause ?? err }, "rpc failed");
      else if (error.code === Code.Unavailable) log.warn({ ...line, err: describe(error.cause ?? err) }, "rpc failed");
      // A value that got past validation to PostgreSQL is worth a warning: a check is missing.
      else if (error.cause !== undefined && error.code === Code.InvalidArgument) log.warn({ ...line, err: describe(error.cause) }, "rpc failed");
      else log.info(line, "rpc failed");
      throw error;
    }
  };
}

/** The id of a request: its `x-request-id` when well-formed, otherwise a new one. */
export function requestIdFor(incoming: string | null | undefined): string {
  return incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
