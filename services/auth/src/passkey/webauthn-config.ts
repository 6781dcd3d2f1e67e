/** The relying party passkeys are bound to (Config.webauthn plus the product's name). */
export interface WebAuthnSettings {
  /** WEBAUTHN_RP_ID: the domain every credential is scoped to. */
  rpId: string;
  /** WEBAUTHN_ORIGINS: the exact page origins an answer may come from. */
  origins: string[];
  /** PRODUCT_NAME, shown by the browser when a passkey is created. */
  rpName: string;
}

/** Passkeys one account may hold. */
export const PASSKEY_LIMIT = 20;
/** The longest response_json a request may carry (64 KiB). */
export const RESPONSE_JSON_MAX_LENGTH = 64 * 1024;
/** The longest passkey label, in characters. */
export const PASSKEY_NAME_MAX_LENGTH = 64;
/** The label of a passkey registered without one. */
export const DEFAULT_PASSKEY_NAME = "Passkey";
/** How long a WebAuthn challenge, and a step-up token, stay usable. */
export const WEBAUTHN_TTL_MS = 5 * 60 * 1000;
/** How long the browser may wait for the user (the options' timeout). */
export const WEBAUTHN_TIMEOUT_MS = 5 * 60 * 1000;
