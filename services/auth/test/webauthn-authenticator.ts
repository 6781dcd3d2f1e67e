/**
 * A software WebAuthn authenticator for tests: P-256 keys (ES256) made with node:crypto, "none"
 * attestation, assertions signed over authenticatorData || SHA-256(clientDataJSON) as a browser
 * and a platform authenticator would produce them. Every part a relying party checks can be
 * chosen per call (origin, RP ID, counter, user presence and verification), so tests can build
 * both honest answers and each kind of forgery.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";

/** A credential this authenticator holds. */
export interface SoftCredential {
  /** The credential id as WebAuthn sends it (base64url). */
  id: string;
  privateKey: KeyObject;
  /** The user handle given at registration (base64url), returned in assertions. */
  userHandle: string;
  /** The next assertion's signature counter is this plus one, unless a call sets it. */
  counter: number;
}

/** What a test may change about one answer. */
export interface AnswerOptions {
  /** clientDataJSON.origin; default the authenticator's origin. */
  origin?: string;
  /** The RP ID hashed into authenticatorData; default the options' rpId (or the authenticator's). */
  rpId?: string;
  /** The signature counter to report; default the credential's counter + 1 (0 at registration). */
  counter?: number;
  /** User verification flag (UV); default true. */
  userVerified?: boolean;
  /** User presence flag (UP); default true. */
  userPresent?: boolean;
  /** clientDataJSON.challenge; default the options' challenge. */
  challenge?: string;
  /** clientDataJSON.type; default "webauthn.create" / "webauthn.get". */
  type?: string;
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

type Json = Record<string, unknown>;

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  /**
   * @param origin the page origin the "browser" reports (the auth service's default WEBAUTHN_ORIGINS).
   * @param rpId used when options name none.
   * @param backedUp reports a synced (multi-device) passkey.
   */
  constructor(
    readonly origin = "http://localhost:3000",
    readonly rpId = "localhost",
    readonly backedUp = true,
  ) {}

  /** Answers PublicKeyCredentialCreationOptionsJSON (as a JSON string or object): a RegistrationResponseJSON string. */
  register(options: string | Json, opts: AnswerOptions = {}): string {
    const o = typeof options === "string" ? (JSON.parse(options) as Json) : options;
    const rp = (o.rp ?? {}) as Json;
    const user = (o.user ?? {}) as Json;
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const credentialId = new Uint8Array(randomBytes(32));
    const id = isoBase64URL.fromBuffer(credentialId);
    const counter = opts.counter ?? 0;
    const credential: SoftCredential = { id, privateKey, userHandle: String(user.id ?? ""), counter };
    this.credentials.push(credential);

    const jwk = publicKey.export({ format: "jwk" });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, new Uint8Array(Buffer.from(jwk.x!, "base64url"))],
        [-3, new Uint8Array(Buffer.from(jwk.y!, "base64url"))],
      ]),
    );
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID: none
      u16(credentialId.length),
      credentialId,
      cose,
    ]);
    const authData = this.authData(opts.rpId ?? String(rp.id ?? this.rpId), FLAG_AT | this.flags(opts), counter, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Map<string, string> | Uint8Array>([
        ["fmt", "none"],
        ["attStmt", new Map<string, string>()],
        ["authData", new Uint8Array(authData)],
      ]),
    );
    const clientDataJSON = this.clientData(opts.type ?? "webauthn.create", opts.challenge ?? String(o.challenge), opts);
    return JSON.stringify({
      id,
      rawId: id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ["hybrid", "internal"],
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    });
  }

  /**
   * Answers PublicKeyCredentialRequestOptionsJSON with `credential` (default: the first held
   * credential that the options allow, or the first one for discoverable sign-in): an
   * AuthenticationResponseJSON string. The credential's counter advances to what was reported.
   */
  assert(options: string | Json, opts: AnswerOptions & { credential?: SoftCredential } = {}): string {
    const o = typeof options === "string" ? (JSON.parse(options) as Json) : options;
    const allowed = ((o.allowCredentials ?? []) as { id: string }[]).map((c) => c.id);
    const credential = opts.credential ?? this.credentials.find((c) => allowed.length === 0 || allowed.includes(c.id));
    if (!credential) throw new Error("no credential of this authenticator is allowed by the options");
    const counter = opts.counter ?? credential.counter + 1;
    credential.counter = counter;
    const authData = this.authData(opts.rpId ?? String(o.rpId ?? this.rpId), this.flags(opts), counter);
    const clientDataJSON = this.clientData(opts.type ?? "webauthn.get", opts.challenge ?? String(o.challenge), opts);
    const signed = Buffer.concat([authData, createHash("sha256").update(clientDataJSON).digest()]);
    const signature = sign("sha256", signed, credential.privateKey); // DER, as authenticators send ES256
    return JSON.stringify({
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: credential.userHandle || undefined,
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    });
  }

  private flags(opts: AnswerOptions): number {
    let flags = 0;
    if (opts.userPresent ?? true) flags |= FLAG_UP;
    if (opts.userVerified ?? true) flags |= FLAG_UV;
    if (this.backedUp) flags |= FLAG_BE | FLAG_BS;
    return flags;
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    return Buffer.concat([createHash("sha256").update(rpId).digest(), Buffer.from([flags]), counterBytes, attested ?? Buffer.alloc(0)]);
  }

  private clientData(type: string, challenge: string, opts: AnswerOptions): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: opts.origin ?? this.origin, crossOrigin: false }));
  }
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function b64url(buf: Buffer): string {
  return buf.toString("base64url");
}
