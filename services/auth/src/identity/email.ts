import { domainToASCII } from "node:url";
import { EMAIL_MAX_LENGTH } from "../../../shared/contract-limits.js";

export { EMAIL_MAX_LENGTH };

// RFC 5322 dot-atom text plus RFC 6531 Unicode letters, marks and digits. Quoted local parts,
// comments and IP-literal domains are deliberately not accepted: they are almost never real
// mailboxes and are a favourite of parser-confusion attacks. Look-alikes such as the
// full-width '@' (U+FF20) are not split on, so they fail here too.
const ATOM = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
/** A domain label once in its ASCII form (RFC 5890 LDH label; A-labels are "xn--" + punycode). */
const ASCII_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * Code points that render as nothing (Unicode Default_Ignorable_Code_Point: ZWJ/ZWNJ, soft
 * hyphen, variation selectors, the combining grapheme joiner U+034F, U+2060..U+206F, tag
 * characters, bidi controls). No real mailbox needs one, and each would make a second,
 * visually identical address. They are refused, never stripped: stripping would still let two
 * spellings reach one account silently, and refusing tells the user what is wrong.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

/**
 * Normalises an address the one way Tessera stores and compares it, or returns null when it is
 * not an acceptable address (callers answer INVALID_ARGUMENT on the email field):
 *
 * - Any default-ignorable (invisible) code point anywhere refuses the address.
 * - The local part is Unicode NFKC, lower case, NFKC again (lower-casing can yield a sequence
 *   that composes, "H\u0331" -> "\u1E96"). NFKC, not the NFC of RFC 6530/6531: RFC 8265's PRECIS
 *   UsernameCaseMapped profile maps full-width and half-width forms to their ordinary ones
 *   (width mapping) before NFC, because nobody means a full-width "ａｄａ" as a different user
 *   from "ada"; NFKC does that mapping and also folds the other compatibility forms (ligatures,
 *   circled and super-script letters), which are never intended in a mailbox name either. The
 *   stored address is the folded one; a mailbox that really needed the unfolded form fails
 *   verification by mail, so it never reaches another user's account.
 * - The domain goes through IDNA UTS #46 (non-transitional, node's url.domainToASCII) to its
 *   ASCII form, which is what is stored: "例子.中国" and "xn--fsqu00a.xn--fiqs8s" are one domain.
 *   UTS #46 also maps width and case and refuses invalid labels and punycode.
 */
export function normalizeEmail(raw: string): string | null {
  if (INVISIBLE.test(raw)) return null;
  const trimmed = raw.trim();
  // Split on the ASCII '@' only, before any folding: a full-width '@' never becomes a separator.
  const at = trimmed.indexOf("@");
  if (at <= 0 || at !== trimmed.lastIndexOf("@")) return null;
  const local = trimmed.slice(0, at).normalize("NFKC").toLowerCase().normalize("NFKC");
  const domain = asciiDomain(trimmed.slice(at + 1));
  if (domain === null) return null;
  const email = `${local}@${domain}`;
  if (email.length > EMAIL_MAX_LENGTH) return null;
  if (Buffer.byteLength(local, "utf8") > 64) return null;
  if (!local.split(".").every((atom) => ATOM.test(atom))) return null;
  return email;
}

/** The domain's IDNA ASCII form, checked as a public host name (two labels or more, not numeric); else null. */
function asciiDomain(domain: string): string | null {
  // domainToASCII also reads some numeric forms as IPv4 ("0x7f.1" -> "127.0.0.1"): the all-digit
  // last label below refuses every such result.
  const ascii = domain === "" ? "" : domainToASCII(domain);
  if (ascii === "") return null;
  const labels = ascii.split(".");
  if (labels.length < 2 || !labels.every((label) => ASCII_LABEL.test(label))) return null;
  if (/^[0-9]+$/.test(labels[labels.length - 1]!)) return null;
  return ascii;
}
