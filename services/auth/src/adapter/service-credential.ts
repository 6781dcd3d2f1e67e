import { createHash, timingSafeEqual } from "node:crypto";

/** The request header carrying the service credential (AdapterService). */
export const SERVICE_CREDENTIAL_HEADER = "tessera-service-credential";

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * Checks a presented credential against the configured one in constant time. Both are hashed
 * first, so the comparison always runs over 32 bytes and neither the length nor a common
 * prefix of the secret leaks through timing.
 */
export function serviceCredentialCheck(expected: string): (presented: string | null) => boolean {
  if (expected.length === 0) throw new Error("the service credential must not be empty");
  const want = digest(expected);
  return (presented) => {
    // An absent header is hashed too, so every refusal costs the same.
    const ok = timingSafeEqual(digest(presented ?? ""), want);
    return ok && presented !== null;
  };
}
