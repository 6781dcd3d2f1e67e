import { openPrivateKey, sealPrivateKey } from "../token/key-encryption.js";

// The associated data binds a sealed secret to its user: copied onto another account's row it
// does not open. Same AES-256-GCM construction as signing keys (token/key-encryption.ts).
const aad = (userId: string) => `tessera.totp-secret.v1\n${userId}`;

/** Seals a base32 TOTP secret for TotpFactor.sealedSecret. */
export function sealTotpSecret(secretBase32: string, kek: Buffer, userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sealPrivateKey(Buffer.from(secretBase32, "utf8"), kek, aad(userId)));
}

/** Opens a stored secret; throws when the key or user does not match. */
export function openTotpSecret(sealed: Uint8Array, kek: Buffer, userId: string): string {
  return openPrivateKey(sealed, kek, aad(userId)).toString("utf8");
}
