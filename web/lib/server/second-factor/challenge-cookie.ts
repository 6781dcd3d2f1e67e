// The pending second step of a sign-in, kept in a cookie the browser can neither read nor
// forge: the challenge token from Login / IssueTokens is sealed (JWE, dir + A256GCM) under a
// key derived from NEXTAUTH_SECRET, so only this server opens it. The cookie is httpOnly,
// SameSite=Lax, Secure on an https site, and lives 5 minutes like the challenge itself.
import "server-only";
import { hkdfSync } from "node:crypto";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { SecondFactorChallenge } from "../../../../gen/tessera/auth/v1/second_factor_challenge_pb.js";
import { webConfig } from "../config";
import { sessionCookie } from "../session-cookie";

/** The challenge's lifetime at the auth service; the cookie never outlives it. */
export const CHALLENGE_MAX_AGE_SECONDS = 5 * 60;

/** What the cookie holds, opened. */
export interface PendingSignIn {
  /** SecondFactorChallenge.token: sent only to AuthService.CompleteSignIn. */
  token: string;
  /** The proofs the challenge accepts ("totp", "recovery_code", "passkey"). */
  methods: string[];
  /** WebAuthn request options for "passkey" ("" otherwise); safe to hand to the browser. */
  passkeyOptionsJson: string;
}

export function challengeCookieName(): string {
  // __Host-: only this origin, path /, Secure; a sibling subdomain cannot plant one.
  return sessionCookie().secure ? "__Host-tessera.sign-in-challenge" : "tessera.sign-in-challenge";
}

/** Attributes for Set-Cookie (maxAge 0 deletes). */
export function challengeCookieAttributes(maxAge: number): string {
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${sessionCookie().secure ? "; Secure" : ""}`;
}

// One key per secret, for this purpose only (a session cookie's key is derived differently).
let derived: { secret: string; key: Uint8Array } | undefined;
function key(): Uint8Array {
  const secret = webConfig().nextAuthSecret;
  if (derived?.secret !== secret) {
    derived = { secret, key: new Uint8Array(hkdfSync("sha256", secret, "", "Tessera web: sealed second-factor challenge", 32)) };
  }
  return derived.key;
}

/** The sealed cookie value and its max-age, for a challenge the auth service just issued. */
export async function sealChallenge(c: SecondFactorChallenge, now = Date.now()): Promise<{ value: string; maxAge: number }> {
  const until = c.expireTime ? Math.min(timestampMs(c.expireTime), now + CHALLENGE_MAX_AGE_SECONDS * 1000) : now + CHALLENGE_MAX_AGE_SECONDS * 1000;
  const maxAge = Math.max(1, Math.floor((until - now) / 1000));
  const value = await new EncryptJWT({ tok: c.token, m: c.methods, pk: c.passkeyOptionsJson })
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(until / 1000))
    .encrypt(key());
  return { value, maxAge };
}

/** The pending sign-in in a cookie value, or undefined when it is missing, forged, tampered with or expired. */
export async function openChallenge(value: string | undefined): Promise<PendingSignIn | undefined> {
  if (!value || value.length > 16_384) return undefined;
  try {
    const { payload } = await jwtDecrypt(value, key(), { keyManagementAlgorithms: ["dir"], contentEncryptionAlgorithms: ["A256GCM"] });
    const { tok, m, pk } = payload as { tok?: unknown; m?: unknown; pk?: unknown };
    if (typeof tok !== "string" || !tok || !Array.isArray(m)) return undefined;
    return { token: tok, methods: m.filter((x): x is string => typeof x === "string"), passkeyOptionsJson: typeof pk === "string" ? pk : "" };
  } catch {
    return undefined;
  }
}
