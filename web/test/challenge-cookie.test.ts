// The sealed second-step cookie: only this server opens it, a changed byte or another key
// opens nothing, it expires with the challenge, and the token is not readable in it.
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { randomBytes } from "node:crypto";
import { EncryptJWT } from "jose";
import { describe, expect, it } from "vitest";
import { SecondFactorChallengeSchema } from "../../gen/tessera/auth/v1/second_factor_challenge_pb.js";
import { CHALLENGE_MAX_AGE_SECONDS, openChallenge, sealChallenge } from "../lib/server/second-factor/challenge-cookie.js";

// The key comes from NEXTAUTH_SECRET (read when first needed).
process.env.TESSERA_ENV = "test";
process.env.NEXTAUTH_SECRET = randomBytes(32).toString("hex");

const TOKEN = "A".repeat(20) + "b_-".repeat(7) + "zz";

const challenge = (expireMs: number) =>
  create(SecondFactorChallengeSchema, { token: TOKEN, expireTime: timestampFromMs(expireMs), methods: ["totp", "recovery_code"], passkeyOptionsJson: "" });

describe("the sealed challenge cookie", () => {
  it("opens to the challenge on this server, and hides the token", async () => {
    const { value, maxAge } = await sealChallenge(challenge(Date.now() + 5 * 60_000));
    expect(value).not.toContain(TOKEN);
    expect(Buffer.from(value.replace(/\./g, ""), "base64url").toString("latin1")).not.toContain(TOKEN);
    expect(maxAge).toBeGreaterThan(CHALLENGE_MAX_AGE_SECONDS - 5);
    expect(maxAge).toBeLessThanOrEqual(CHALLENGE_MAX_AGE_SECONDS);
    expect(await openChallenge(value)).toEqual({ token: TOKEN, methods: ["totp", "recovery_code"], passkeyOptionsJson: "" });
  });

  it("lives no longer than the challenge, and never more than 5 minutes", async () => {
    expect((await sealChallenge(challenge(Date.now() + 60_000))).maxAge).toBeLessThanOrEqual(60);
    expect((await sealChallenge(challenge(Date.now() + 60 * 60_000))).maxAge).toBeLessThanOrEqual(CHALLENGE_MAX_AGE_SECONDS);
    const old = await sealChallenge(challenge(Date.now() - 1000), Date.now() - 6 * 60_000);
    expect(await openChallenge(old.value)).toBeUndefined();
  });

  it("opens nothing that was changed, sealed under another key, or missing", async () => {
    const { value } = await sealChallenge(challenge(Date.now() + 5 * 60_000));
    const parts = value.split(".");
    const ciphertext = parts[3]!;
    parts[3] = (ciphertext[0] === "A" ? "B" : "A") + ciphertext.slice(1);
    expect(await openChallenge(parts.join("."))).toBeUndefined();
    const foreign = await new EncryptJWT({ tok: TOKEN, m: ["totp"] }).setProtectedHeader({ alg: "dir", enc: "A256GCM" }).setExpirationTime("5m").encrypt(randomBytes(32));
    expect(await openChallenge(foreign)).toBeUndefined();
    expect(await openChallenge(undefined)).toBeUndefined();
    expect(await openChallenge("not a cookie")).toBeUndefined();
  });
});
