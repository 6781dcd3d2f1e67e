import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, base64url without padding: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Makes a new opaque refresh token (also used for other one-time secrets). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString("base64url");
}

/** True when a string has the shape of a Tessera opaque token. */
export function isOpaqueTokenShape(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/** A SHA-256 digest as stored in the database. */
export type TokenHash = Uint8Array<ArrayBuffer>;

/**
 * SHA-256 of a token: what is stored and looked up. A slow hash is unnecessary for 256-bit
 * random secrets, and looking up by hash means a stolen database reveals no usable token.
 */
export function hashOpaqueToken(token: string): TokenHash {
  return new Uint8Array(createHash("sha256").update(token, "utf8").digest());
}
