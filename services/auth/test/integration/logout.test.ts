import { Code, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { newOpaqueToken } from "../../src/session/refresh-token.js";
import type { Components } from "../../src/server/app.js";
import { GOOD_PASSWORD, inProcessAuth, uniqueEmail } from "../harness.js";
import { failure } from "../rpc-failure.js";

let components: Components;
let auth: Client<typeof AuthService>;
beforeAll(async () => {
  // A long grace window: a spent token's failure must then come from the logout, not from reuse detection.
  ({ components, auth } = await inProcessAuth({ TESSERA_REFRESH_GRACE: "120" }));
});
afterAll(() => components?.close());

async function signUp() {
  const email = uniqueEmail("logout");
  const { user, tokens } = await auth.register({ email, password: GOOD_PASSWORD });
  return { email, userId: user!.id, tokens: tokens! };
}

it("makes the session's refresh token fail at once with reason session.revoked", async () => {
  const { tokens } = await signUp();
  await auth.logout({ refreshToken: tokens.refreshToken });
  expect(await failure(auth.refresh({ refreshToken: tokens.refreshToken }))).toMatchObject({
    code: Code.Unauthenticated,
    reason: "session.revoked",
    field: "",
  });
});

it("after a refresh, logging out with the current token also stops the spent one inside the grace window", async () => {
  const { tokens } = await signUp();
  const current = (await auth.refresh({ refreshToken: tokens.refreshToken })).tokens!;
  await auth.logout({ refreshToken: current.refreshToken });
  expect((await failure(auth.refresh({ refreshToken: current.refreshToken }))).reason).toBe("session.revoked");
  // Inside the grace window a spent token would otherwise still refresh.
  expect((await failure(auth.refresh({ refreshToken: tokens.refreshToken }))).reason).toBe("session.revoked");
});

it("is idempotent: a second logout and a logout with an unknown token succeed", async () => {
  const { tokens } = await signUp();
  await auth.logout({ refreshToken: tokens.refreshToken });
  await expect(auth.logout({ refreshToken: tokens.refreshToken })).resolves.toBeDefined();
  await expect(auth.logout({ refreshToken: newOpaqueToken() })).resolves.toBeDefined();
  expect((await failure(auth.refresh({ refreshToken: tokens.refreshToken }))).reason).toBe("session.revoked");
});

it("leaves the user's other sessions working", async () => {
  const { email, userId, tokens: first } = await signUp();
  const second = (await auth.login({ email, password: GOOD_PASSWORD })).tokens!;
  const third = (await auth.login({ email, password: GOOD_PASSWORD })).tokens!;

  await auth.logout({ refreshToken: second.refreshToken });

  expect((await failure(auth.refresh({ refreshToken: second.refreshToken }))).reason).toBe("session.revoked");
  for (const other of [first, third]) {
    const res = await auth.refresh({ refreshToken: other.refreshToken });
    expect(res.tokens?.sessionId).toBe(other.sessionId);
    expect(await components.accessTokens.verify(res.tokens!.accessToken)).toMatchObject({ userId, sessionId: other.sessionId });
  }
});

it("leaves other users' sessions working", async () => {
  const alice = await signUp();
  const bob = await signUp();
  await auth.logout({ refreshToken: alice.tokens.refreshToken });
  await expect(auth.refresh({ refreshToken: bob.tokens.refreshToken })).resolves.toBeDefined();
});

it.each([
  ["empty", ""],
  ["too short", "a".repeat(42)],
  ["not base64url", `${"a".repeat(42)}!`],
])("refuses a %s refresh token with INVALID_ARGUMENT on field refresh_token", async (_, refreshToken) => {
  expect(await failure(auth.logout({ refreshToken }))).toMatchObject({
    code: Code.InvalidArgument,
    reason: "request.invalid_argument",
    field: "refresh_token",
  });
});
