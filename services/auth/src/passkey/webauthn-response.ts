import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { invalidArgument } from "../kernel/errors.js";
import { RESPONSE_JSON_MAX_LENGTH } from "./webauthn-config.js";

/** A response_json that parsed, with the challenge its clientDataJSON names (null when unreadable). */
export interface ParsedResponse<T> {
  response: T;
  challenge: string | null;
  /** The credential id (base64url) as the answer gives it. */
  credentialId: string;
}

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Reads a RegistrationResponseJSON: INVALID_ARGUMENT naming `field` when it is not JSON or
 * lacks the fields WebAuthn requires (checked here, so nothing the client sent reaches the
 * verifier with a wrong type). Whether it verifies is the caller's question.
 */
export function parseRegistrationResponse(json: string, field: string): ParsedResponse<RegistrationResponseJSON> {
  const value = parseCredential(json, field);
  const response = value.response as Record<string, unknown>;
  requireBase64url(response.attestationObject, field, "response.attestationObject");
  if (response.transports !== undefined && !(Array.isArray(response.transports) && response.transports.every((t) => typeof t === "string")))
    throw invalidArgument(field, "response.transports must be a list of strings");
  return { response: value as unknown as RegistrationResponseJSON, challenge: challengeOf(response.clientDataJSON as string), credentialId: value.id as string };
}

/** Reads an AuthenticationResponseJSON; see parseRegistrationResponse. */
export function parseAuthenticationResponse(json: string, field: string): ParsedResponse<AuthenticationResponseJSON> {
  const value = parseCredential(json, field);
  const response = value.response as Record<string, unknown>;
  requireBase64url(response.authenticatorData, field, "response.authenticatorData");
  requireBase64url(response.signature, field, "response.signature");
  if (response.userHandle !== undefined && response.userHandle !== null) requireBase64url(response.userHandle, field, "response.userHandle");
  return { response: value as unknown as AuthenticationResponseJSON, challenge: challengeOf(response.clientDataJSON as string), credentialId: value.id as string };
}

function parseCredential(json: string, field: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw invalidArgument(field, "is not JSON");
  }
  if (!isObject(value)) throw invalidArgument(field, "must be a JSON object");
  requireBase64url(value.id, field, "id", { nonEmpty: true });
  requireBase64url(value.rawId, field, "rawId", { nonEmpty: true });
  if (value.type !== "public-key") throw invalidArgument(field, 'type must be "public-key"');
  if (!isObject(value.response)) throw invalidArgument(field, "response must be an object");
  requireBase64url(value.response.clientDataJSON, field, "response.clientDataJSON", { nonEmpty: true });
  if (value.clientExtensionResults !== undefined && !isObject(value.clientExtensionResults))
    throw invalidArgument(field, "clientExtensionResults must be an object");
  if (value.clientExtensionResults === undefined) value.clientExtensionResults = {};
  return value;
}

/** The challenge named by a clientDataJSON, or null when it is not readable JSON with one. */
function challengeOf(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, "base64url").toString("utf8"));
    return isObject(data) && typeof data.challenge === "string" && data.challenge.length > 0 && data.challenge.length <= 512 ? data.challenge : null;
  } catch {
    return null;
  }
}

function requireBase64url(value: unknown, field: string, name: string, opts: { nonEmpty?: boolean } = {}): void {
  if (typeof value !== "string" || !BASE64URL.test(value) || (opts.nonEmpty && value.length === 0))
    throw invalidArgument(field, `${name} must be a base64url string`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** INVALID_ARGUMENT naming `field` when a response_json is empty or longer than RESPONSE_JSON_MAX_LENGTH bytes. */
export function requireResponseJson(value: string, field: string): string {
  if (value.length === 0) throw invalidArgument(field, "is required");
  if (value.length > RESPONSE_JSON_MAX_LENGTH || Buffer.byteLength(value, "utf8") > RESPONSE_JSON_MAX_LENGTH)
    throw invalidArgument(field, `must be at most ${RESPONSE_JSON_MAX_LENGTH} bytes`);
  return value;
}
