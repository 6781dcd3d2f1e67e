import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// AES-256-GCM with the key id as associated data, so an encrypted private key cannot be
// swapped onto another key's row. Layout: iv (12) | tag (16) | ciphertext.
const IV = 12;
const TAG = 16;

/** Encrypts a private key for storage with the deployment's key-encryption key. */
export function sealPrivateKey(plaintext: Buffer, kek: Buffer, kid: string): Buffer {
  const iv = randomBytes(IV);
  const cipher = createCipheriv("aes-256-gcm", kek, iv).setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Decrypts a stored private key; throws when the key-encryption key or kid is wrong. */
export function openPrivateKey(sealed: Uint8Array, kek: Buffer, kid: string): Buffer {
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv("aes-256-gcm", kek, buf.subarray(0, IV)).setAAD(Buffer.from(kid));
  decipher.setAuthTag(buf.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(buf.subarray(IV + TAG)), decipher.final()]);
}
