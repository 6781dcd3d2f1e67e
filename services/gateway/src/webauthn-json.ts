/**
 * WebAuthn JSON between REST and the contract: the contract carries it as strings (options_json,
 * response_json) so every language can pass it through untouched; REST clients read and send it
 * as objects, as the browser's toJSON() and @simplewebauthn/browser give it.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { HttpError, restFieldName, toHttpError } from "./errors.js";


/**
 * options_json from the auth service as the object REST clients get. The service writes it, so
 * anything but a JSON object is its fault: a plain Error, answered 500.
 */
export function optionsObject(optionsJson: string): Record<string, unknown> {
  const value: unknown = JSON.parse(optionsJson);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("the auth service's WebAuthn options are not a JSON object");
  return value as Record<string, unknown>;
}

/**
 * The browser's answer, serialised for response_json. Its size is the auth service's to judge
 * (PASSKEY_RESPONSE_MAX_BYTES, INVALID_ARGUMENT naming the field, renamed by namingFields); the
 * body limit (64 KiB) bounds it here. Lone surrogates come out escaped (\udXXX), so the string
 * is always valid for protobuf.
 */
export function responseJson(response: Record<string, unknown>): string {
  return JSON.stringify(response);
}

/**
 * Runs an RPC whose INVALID_ARGUMENT may name a *_json field of the contract, and names the REST
 * body's field instead (response_json → response), so `field` points at what the client sent.
 */
export async function namingFields<T>(rpc: Promise<T>, names: Record<string, string>): Promise<T> {
  try {
    return await rpc;
  } catch (err) {
    if (!(err instanceof ConnectError) || err.code !== Code.InvalidArgument) throw err;
    const e = toHttpError(err);
    const protoField = Object.keys(names).find((f) => e.field === restFieldName(f));
    if (protoField === undefined) throw e;
    const field = names[protoField]!;
    const message = e.message.startsWith(`${e.field}:`) ? `${field}:${e.message.slice(e.field!.length + 1)}` : e.message;
    throw new HttpError(e.status, e.code, e.reason, message, field, e.headers);
  }
}

/**
 * A sign-in answer as REST gives it: a second-factor challenge's passkey_options_json becomes
 * the object passkeyOptions (absent when the account has no passkey).
 */
export function withPasskeyOptions(body: unknown): unknown {
  const challenge = (body as { secondFactorChallenge?: Record<string, unknown> }).secondFactorChallenge;
  if (!challenge) return body;
  const { passkeyOptionsJson, ...rest } = challenge;
  const passkeyOptions = typeof passkeyOptionsJson === "string" && passkeyOptionsJson !== "" ? optionsObject(passkeyOptionsJson) : undefined;
  return { ...(body as object), secondFactorChallenge: passkeyOptions ? { ...rest, passkeyOptions } : rest };
}
