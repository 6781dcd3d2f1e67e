import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Provider tokens (access, refresh and id tokens next-auth hands to linkAccount) are sealed
// at rest like signing keys: AES-256-GCM under the deployment's key-encryption key. The
// associated data names the link and the column, so a sealed value copied onto another
// account or into another column does not open. Stored as text: "v1." + base64url of
// iv (12) | tag (16) | ciphertext. Auth0 and Keycloak also keep federated tokens encrypted.
const PREFIX = "v1.";
const IV = 12;
const TAG = 16;

/** Which stored value a sealed token is: its link and its column. */
export interface TokenSlot {
  provider: string;
  providerAccountId: string;
  column: "access_token" | "refresh_token" | "id_token";
}

const aad = (slot: TokenSlot) => Buffer.from(JSON.stringify([slot.provider, slot.providerAccountId, slot.column]), "utf8");

/** Seals a provider token for its slot; null stays null. */
export function sealProviderToken(value: string | null, kek: Buffer, slot: TokenSlot): string | null {
  if (value === null) return null;
  const iv = randomBytes(IV);
  const cipher = createCipheriv("aes-256-gcm", kek, iv).setAAD(aad(slot));
  const body = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/**
 * Opens a stored provider token; null stays null. Throws when the value is not sealed, or the
 * key-encryption key or slot is wrong (a tampered or moved value must not pass as a token).
 */
export function openProviderToken(stored: string | null, kek: Buffer, slot: TokenSlot): string | null {
  if (stored === null) return null;
  if (!stored.startsWith(PREFIX)) throw new Error(`Account.${slot.column} is not sealed`);
  const buf = Buffer.from(stored.slice(PREFIX.length), "base64url");
  const decipher = createDecipheriv("aes-256-gcm", kek, buf.subarray(0, IV)).setAAD(aad(slot));
  decipher.setAuthTag(buf.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(buf.subarray(IV + TAG)), decipher.final()]).toString("utf8");
}
