import { createHmac, hkdfSync } from "node:crypto";

/** Turns a rule's scope and subject (email, IP, user id) into a bucket key. */
export type KeyOf = (scope: string, subject: string) => string;

/**
 * Bucket keys are "<scope>:<HMAC-SHA-256(scope NUL subject)>", base64url: the table never holds
 * an email, IP address or user id in clear, and, the HMAC key being derived from the deployment's
 * key-encryption key, a copy of the table cannot be matched against guessed addresses either.
 * Every replica derives the same key, so they share the buckets.
 */
export function throttleKeyer(masterKey: Buffer): KeyOf {
  const secret = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "tessera/throttle-keys/v1", 32));
  return (scope, subject) => `${scope}:${createHmac("sha256", secret).update(`${scope}\0${subject}`).digest("base64url")}`;
}
