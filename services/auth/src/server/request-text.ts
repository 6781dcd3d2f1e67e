/**
 * Refuses text that PostgreSQL cannot store, for every string field of every request, once at
 * the RPC boundary: NUL (U+0000; PostgreSQL's text type has no room for it and answers SQLSTATE
 * 22021) and unpaired UTF-16 surrogates (not Unicode text at all; node-postgres would silently
 * store U+FFFD instead). Per-field checks in handlers cannot forget a field this way, including
 * fields added to the contract later. Keycloak and Kratos likewise reject such input as a bad
 * request before it reaches storage.
 */
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import type { Interceptor } from "@connectrpc/connect";
import { ADAPTER_SERVICE_NAME, NULL_ON_MISS_METHODS } from "../rpc/adapter/null-on-miss.js";
import { invalidArgument } from "../kernel/errors.js";
import { isBadText } from "../kernel/text.js";

/**
 * The exemption used by the service: AdapterService's null-on-miss lookups. next-auth's
 * adapter contract answers a miss with null, so their handlers treat text no record can hold
 * as a miss (adapter/null-on-miss.ts) instead of being refused here.
 */
export function adapterLookupExempt(service: string, method: string): boolean {
  return service === ADAPTER_SERVICE_NAME && NULL_ON_MISS_METHODS.has(method);
}

/** Options of {@link requireValidText}. */
export interface RequireValidTextOptions {
  /** Methods whose requests are not checked (service type name, method name). */
  exempt?: (service: string, method: string) => boolean;
}

/**
 * An interceptor answering INVALID_ARGUMENT (reason request.invalid_argument, `field` the proto
 * path such as `profile.company_name`, `items[2].name` or `labels["k"]`) when any string field
 * or string map key of the request message, at any depth, holds NUL or an unpaired surrogate.
 * Client-streaming requests are not checked (the services have none).
 */
export function requireValidText(opts: RequireValidTextOptions = {}): Interceptor {
  return (next) => async (req) => {
    if (!req.stream && !opts.exempt?.(req.service.typeName, req.method.name)) {
      const field = firstBadTextField(req.method.input, req.message);
      if (field !== undefined) throw invalidArgument(field, "must not contain NUL characters or unpaired surrogates");
    }
    return next(req);
  };
}

/** The proto path of the first string field (or map key) with bad text in `message`, if any. */
export function firstBadTextField(desc: DescMessage, message: unknown): string | undefined {
  return walk(reflect(desc, message as never, false), "");
}

function walk(msg: ReflectMessage, prefix: string): string | undefined {
  for (const field of msg.fields) {
    if (!msg.isSet(field)) continue;
    const path = prefix + field.name;
    const found = visitField(msg, field, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

function visitField(msg: ReflectMessage, field: DescField, path: string): string | undefined {
  switch (field.fieldKind) {
    case "scalar":
      return field.scalar === ScalarType.STRING && isBadText(msg.get(field) as string) ? path : undefined;
    case "message":
      return walk(msg.get(field), `${path}.`);
    case "list": {
      let i = 0;
      for (const item of msg.get(field)) {
        const at = `${path}[${i++}]`;
        if (field.listKind === "scalar" && field.scalar === ScalarType.STRING && isBadText(item as string)) return at;
        if (field.listKind === "message") {
          const found = walk(item as ReflectMessage, `${at}.`);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    }
    case "map":
      for (const [key, value] of msg.get(field)) {
        const keyText = String(key);
        if (typeof key === "string" && isBadText(key)) return path;
        const at = `${path}[${JSON.stringify(keyText)}]`;
        if (field.mapKind === "scalar" && field.scalar === ScalarType.STRING && isBadText(value as string)) return at;
        if (field.mapKind === "message") {
          const found = walk(value as ReflectMessage, `${at}.`);
          if (found !== undefined) return found;
        }
      }
      return undefined;
    default:
      return undefined;
  }
}
