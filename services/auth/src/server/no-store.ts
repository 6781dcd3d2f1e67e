/**
 * `Cache-Control: no-store` on every RPC response that carries a secret token: access and
 * refresh tokens (AuthService.Register, Login, Refresh; AdapterService.IssueTokens) and the web
 * server's database sessions and verification tokens (AdapterService). Found from each method's
 * output message, so an RPC added later that returns tokens is covered too. Connect GET requests
 * and caching proxies would otherwise be free to store them (RFC 6749 §5.1 asks the same of
 * OAuth token responses).
 */
import type { DescMessage, DescMethod } from "@bufbuild/protobuf";
import type { Interceptor } from "@connectrpc/connect";

/** Messages holding a secret a cache must not keep. */
const SECRET_MESSAGES = new Set(["tessera.auth.v1.Tokens", "tessera.adapter.v1.AdapterSession", "tessera.adapter.v1.VerificationToken"]);

/** Whether a message, or a message field of it (one level down), is one of SECRET_MESSAGES. */
function holdsSecret(message: DescMessage): boolean {
  return SECRET_MESSAGES.has(message.typeName) || message.fields.some((f) => f.message !== undefined && SECRET_MESSAGES.has(f.message.typeName));
}

const cache = new Map<DescMethod, boolean>();

/** Whether the method's responses carry a secret token. */
export function returnsSecrets(method: DescMethod): boolean {
  let hit = cache.get(method);
  if (hit === undefined) cache.set(method, (hit = holdsSecret(method.output)));
  return hit;
}

/** Sets `cache-control: no-store` on the responses of methods that return secret tokens. */
export function noStoreSecrets(): Interceptor {
  return (next) => async (req) => {
    const res = await next(req);
    if (returnsSecrets(req.method)) res.header.set("cache-control", "no-store");
    return res;
  };
}
