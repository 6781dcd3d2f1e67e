import { createHmac, hkdfSync } from "node:crypto";

/**
 * Turns a rule's scope and subject (email, IP, user id) into a bucket key. With `client`, the
 * key names one client of that subject: "<scope>:<HMAC(subject)>:<HMAC(subject, client)>", so
 * every client's bucket of one subject shares the prefix "<scope>:<HMAC(subject)>:" (see
 * Throttle.clearPasswordFailures, which deletes them all at once).
 */
export type KeyOf = (scope: string, subject: string, client?: string) => string;

/**
 * Bucket keys are "<scope>:<HMAC-SHA-256(scope NUL subject)>", base64url: the table never holds
 * an email, IP address or user id in clear, and, the HMAC key being derived from the deployment's
 * key-encryption key, a copy of the table cannot be matched against guessed addresses either.
 * Every replica derives the same key, so they share the buckets.
 */
export function throttleKeyer(masterKey: Buffer): KeyOf {
  const secret = Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "tessera/throttle-keys/v1", 32));
  const mac = (text: string) => createHmac("sha256", secret).update(text).digest("base64url");
  // Subjects and clients never hold NUL (emails refuse it, addresses and ids cannot have it).
  return (scope, subject, client) =>
    client === undefined ? `${scope}:${mac(`${scope}\0${subject}`)}` : `${scope}:${mac(`${scope}\0${subject}`)}:${mac(`${scope}\0${subject}\0${client}`)}`;
}
