// What a person is told when the browser's passkey dialog ends without a passkey: a cancel or
// time-out (the spec answers both with NotAllowedError, on purpose) reads as "nothing
// happened", an authenticator that already holds this account's passkey says so, and anything
// else is a generic failure; an abort (another ceremony took over) is told apart so the
// autofill offer can end silently.
import { WebAuthnError } from "@simplewebauthn/browser";
import { describe, expect, it } from "vitest";
import { ceremonyFailure, isAbort } from "../lib/client/webauthn.js";

const domError = (name: string) => Object.assign(new Error(name), { name });

describe("ceremonyFailure", () => {
  it("reads a cancelled or timed-out dialog as cancelled, however the library wrapped it", () => {
    expect(ceremonyFailure(new WebAuthnError({ message: "x", code: "ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY", cause: domError("NotAllowedError") }))).toBe("cancelled");
    expect(ceremonyFailure(domError("NotAllowedError"))).toBe("cancelled");
    expect(ceremonyFailure(new WebAuthnError({ message: "x", code: "ERROR_CEREMONY_ABORTED", cause: domError("AbortError") }))).toBe("cancelled");
  });

  it("names an authenticator that already holds a passkey for the account", () => {
    expect(ceremonyFailure(new WebAuthnError({ message: "x", code: "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED", cause: domError("InvalidStateError") }))).toBe("alreadyOnDevice");
  });

  it("says anything else failed, without its text", () => {
    expect(ceremonyFailure(new WebAuthnError({ message: "x", code: "ERROR_INVALID_RP_ID", cause: domError("SecurityError") }))).toBe("ceremonyFailed");
    expect(ceremonyFailure(new Error("WebAuthn is not supported in this browser"))).toBe("ceremonyFailed");
    expect(ceremonyFailure("weird")).toBe("ceremonyFailed");
  });
});

describe("isAbort", () => {
  it("is true only for a ceremony another one replaced", () => {
    expect(isAbort(new WebAuthnError({ message: "x", code: "ERROR_CEREMONY_ABORTED", cause: domError("AbortError") }))).toBe(true);
    expect(isAbort(domError("AbortError"))).toBe(true);
    expect(isAbort(domError("NotAllowedError"))).toBe(false);
  });
});
