/** Longest accepted address (RFC 5321 path limit less the angle brackets). */
export const EMAIL_MAX_LENGTH = 254;

// RFC 5322 dot-atom text plus RFC 6531 Unicode letters, marks and digits. Quoted local parts,
// comments and IP-literal domains are deliberately not accepted: they are almost never real
// mailboxes and are a favourite of parser-confusion attacks. Look-alikes such as the
// full-width '@' (U+FF20) are not letters, so they fail here too.
const ATOM = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
const LABEL = /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u;

/**
 * Normalises an address the one way Tessera stores and compares it: trimmed, lower case,
 * Unicode NFC. NFC comes last because lower-casing can yield a sequence that composes
 * ("H\u0331" -> "h\u0331" -> "\u1E96"). Returns null when the result is not an acceptable address.
 */
export function normalizeEmail(raw: string): string | null {
  const email = raw.trim().toLowerCase().normalize("NFC");
  if (email.length === 0 || email.length > EMAIL_MAX_LENGTH) return null;
  const at = email.indexOf("@");
  if (at <= 0 || at !== email.lastIndexOf("@")) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (Buffer.byteLength(local, "utf8") > 64) return null;
  if (!local.split(".").every((atom) => ATOM.test(atom))) return null;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return null;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return email;
}
