// What the pages say when the auth service refuses something: actionable, in the person's
// language, chosen by reason and field, never internal.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import { ErrorDetailSchema } from "../../gen/tessera/errors/v1/error_detail_pb.js";
import { describeError, inputName, translateError, type ErrorTranslator } from "../lib/server/error-keys.js";
import en from "../messages/en.json";
import fr from "../messages/fr.json";

const rpcError = (code: Code, message: string, reason = "", metadata: Record<string, string> = {}, field = "") =>
  new ConnectError(message, code, metadata, [{ desc: ErrorDetailSchema, value: create(ErrorDetailSchema, { reason, field }) }]);

const say = (locale: "en" | "fr", err: unknown) =>
  translateError(describeError(err), createTranslator({ locale, messages: locale === "en" ? en : fr, namespace: "errors" }) as ErrorTranslator);

describe("describeError", () => {
  it("tells a wrong password from a dead link from an ended session, in both languages", () => {
    expect(say("en", rpcError(Code.Unauthenticated, "invalid email or password", "auth.invalid_credentials"))).toBe("Wrong email or password.");
    expect(say("fr", rpcError(Code.Unauthenticated, "invalid email or password", "auth.invalid_credentials"))).toBe("E-mail ou mot de passe incorrect.");
    expect(say("en", rpcError(Code.Unauthenticated, "this link is invalid", "token.invalid"))).toBe("This link is invalid or has expired. Request a new one.");
    expect(say("en", rpcError(Code.Unauthenticated, "session has ended", "session.revoked"))).toBe("Your session has ended. Sign in again.");
    expect(say("fr", rpcError(Code.Unauthenticated, "session has ended", "session.revoked"))).toBe("Votre session a pris fin. Reconnectez-vous.");
  });

  it("names the input a validation error is about, and says what is wrong with it", () => {
    const short = rpcError(Code.InvalidArgument, "new_password: password must be at least 8 characters", "request.invalid_argument", {}, "new_password");
    expect(describeError(short)).toEqual({ key: "passwordTooShort", values: { min: 8 }, field: "newPassword" });
    expect(say("en", short)).toBe("The password must be at least 8 characters long.");
    expect(say("fr", short)).toBe("Le mot de passe doit comporter au moins 8 caractères.");
    const common = rpcError(Code.InvalidArgument, "password: password is too common; choose…", "request.invalid_argument", {}, "password");
    expect(describeError(common)).toMatchObject({ key: "passwordTooCommon", field: "password" });
    const url = rpcError(Code.InvalidArgument, "profile.website: must be an absolute http or https URL", "request.invalid_argument", {}, "profile.website");
    expect(describeError(url)).toEqual({ key: "urlInvalid", field: "website" });
    const long = rpcError(Code.InvalidArgument, "profile.company_name: must be at most 200 characters", "request.invalid_argument", {}, "profile.company_name");
    expect(say("fr", long)).toBe("C'est trop long : 200 caractères au plus.");
    expect(describeError(long).field).toBe("companyName");
    // The database refused a value without saying which.
    expect(describeError(rpcError(Code.InvalidArgument, "a value in the request is out of range", "request.invalid_argument"))).toEqual({ key: "invalidValue" });
    expect(inputName("new_password")).toBe("newPassword");
  });

  it("says how long to wait when throttled", () => {
    expect(say("en", rpcError(Code.ResourceExhausted, "too many attempts", "auth.too_many_attempts", { "retry-after": "42" }))).toBe("Too many attempts. Try again in 42 seconds.");
    expect(say("fr", rpcError(Code.ResourceExhausted, "too many attempts", "", { "retry-after": "900" }))).toBe("Trop de tentatives. Réessayez dans 15 minutes.");
    expect(say("en", rpcError(Code.ResourceExhausted, "too many attempts"))).toBe("Too many attempts. Wait a moment and try again.");
  });

  it("translates the failed preconditions it knows by reason", () => {
    expect(say("fr", rpcError(Code.FailedPrecondition, "the email address is already verified", "email.already_verified"))).toBe("Votre adresse e-mail est déjà vérifiée.");
    expect(say("en", rpcError(Code.FailedPrecondition, "…", "account.last_sign_in_method"))).toContain("only way to sign in");
  });

  it("puts a missing or wrong step-up code under the form's step-up field, in both languages", () => {
    const missing = rpcError(Code.FailedPrecondition, "…", "auth.second_factor_required");
    expect(describeError(missing).field).toBe("secondFactorCode");
    expect(say("en", missing)).toBe("Enter a code from your authenticator app or a recovery code.");
    const wrong = rpcError(Code.Unauthenticated, "…", "auth.invalid_second_factor");
    expect(describeError(wrong).field).toBe("secondFactorCode");
    expect(say("fr", wrong)).toContain("Ce code est faux");
    // Still an ended session for any other UNAUTHENTICATED.
    expect(describeError(rpcError(Code.Unauthenticated, "…", "session.revoked")).field).toBeUndefined();
  });

  it("tells the passkey refusals apart, in both languages, and never as an ended session", () => {
    const refused = rpcError(Code.Unauthenticated, "…", "auth.invalid_passkey");
    expect(describeError(refused)).toEqual({ key: "invalidPasskey" });
    expect(say("en", refused)).toBe("This passkey was not accepted. Try again, or use another way.");
    expect(say("fr", refused)).toContain("clé d’accès");
    expect(say("en", rpcError(Code.AlreadyExists, "…", "passkey.already_registered"))).toBe("This passkey is already registered.");
    expect(say("en", rpcError(Code.FailedPrecondition, "…", "passkey.registration_failed"))).toContain("could not be added");
    expect(say("fr", rpcError(Code.FailedPrecondition, "…", "passkey.limit_reached"))).toContain("20 clés d’accès");
  });

  it("never shows an unexpected error's text", () => {
    expect(say("en", new Error("ECONNRESET at pg.Client.query (/srv/app/db.js:12)"))).toBe("Something went wrong. Try again.");
    expect(say("fr", rpcError(Code.Internal, 'relation "users" does not exist'))).toBe("Une erreur est survenue. Réessayez.");
  });
});
