import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";

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

/** The key that derives refresh-token successors (see successorOf). */
export type SuccessorKey = Buffer;

/** Derives the successor key from the deployment's key-encryption key; every replica derives the same. */
export function refreshSuccessorKey(keyEncryptionKey: Buffer): SuccessorKey {
  return Buffer.from(hkdfSync("sha256", keyEncryptionKey, Buffer.alloc(0), "tessera/refresh-successor/v1", 32));
}

/**
 * The one token that may follow `token` in rotation: HMAC-SHA-256 under a server key of the
 * spent token, base64url (43 characters, the shape of any opaque token). Only the server and
 * whoever holds `token` can get it, and every exchange of `token` yields the same one, so a
 * replay inside the grace window never opens a second branch of the session.
 */
export function successorOf(key: SuccessorKey, token: string): string {
  return createHmac("sha256", key).update(token, "utf8").digest("base64url");
}
