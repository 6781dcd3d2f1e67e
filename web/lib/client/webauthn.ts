// What the browser can do with passkeys, and what a failed ceremony means to the person, for
// the components that run one (@simplewebauthn/browser does the WebAuthn calls themselves).
import { browserSupportsWebAuthn, WebAuthnError } from "@simplewebauthn/browser";
import { useEffect, useState } from "react";

/**
 * Whether this browser has WebAuthn: undefined during the server render and hydration (the
 * server cannot know), then true or false. Components render no passkey button until it is
 * true, and say so when it is false, instead of offering a button that cannot work.
 */
export function useWebAuthnSupport(): boolean | undefined {
  const [supported, setSupported] = useState<boolean>();
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  return supported;
}

/** How a WebAuthn ceremony ended without a credential, as a message key of "passkeys". */
export type CeremonyFailure = "cancelled" | "alreadyOnDevice" | "ceremonyFailed";

export function ceremonyFailure(err: unknown): CeremonyFailure {
  if (err instanceof WebAuthnError) {
    if (err.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") return "alreadyOnDevice";
    if (err.code === "ERROR_CEREMONY_ABORTED") return "cancelled";
  }
  // The person closed the browser's dialog, or it timed out: the spec says NotAllowedError for
  // both, deliberately alike (a WebAuthnError carries its cause's name).
  if (err instanceof Error && (err.name === "NotAllowedError" || err.name === "AbortError")) return "cancelled";
  return "ceremonyFailed";
}

/** An aborted ceremony: another one replaced it (a click while conditional UI waited), or the page left. */
export function isAbort(err: unknown): boolean {
  return (err instanceof WebAuthnError && err.code === "ERROR_CEREMONY_ABORTED") || (err instanceof Error && err.name === "AbortError");
}
