import { ConnectError, type Interceptor } from "@connectrpc/connect";

/**
 * Whether an upstream call failed because its HTTP/2 stream was refused: RST_STREAM
 * REFUSED_STREAM, which is also how Node ends a stream above the last stream id of a GOAWAY.
 * connect-node reports it as INTERNAL ("Stream closed with error code NGHTTP2_REFUSED_STREAM")
 * when Node surfaces it as a stream error, so the message is what tells.
 */
export function isRefusedStream(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/\b(NGHTTP2_)?REFUSED_STREAM\b/.test(e instanceof ConnectError ? e.rawMessage : e.message)) return true;
    if (e.cause === e) break;
  }
  return false;
}

/**
 * Sends a unary call once more when its stream was refused. RFC 9113 §8.7: a refused stream was
 * not processed. It happens when whoever is on the other end of the shared HTTP/2 connection (a
 * load balancer, or the auth service closing an idle session) sends GOAWAY just as a call goes
 * out on it; without this the REST client would get a 500 for a call nobody saw. One caveat, seen
 * in the cluster test: HAProxy 2.6 also answers REFUSED_STREAM for a call in flight on a replica
 * that died, which that replica may have applied. A retried refresh is still safe (the grace
 * window gives the same successor); a retried sign-in may leave one extra session nobody holds.
 */
export const retryRefusedStream: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (err) {
    if (req.stream || req.signal.aborted || !isRefusedStream(err)) throw err;
    return next(req);
  }
};
