/**
 * The client's address reaches session records through the gateway only when it should:
 * X-Forwarded-For is believed from trusted proxies alone, and the auth service believes the
 * gateway's relayed address only because the gateway presents the service credential.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../gen/tessera/user/v1/user_service_pb.js";
import { GOOD_PASSWORD, startTestServer, testConfig, uniqueEmail, type TestServer } from "../../auth/test/harness.js";
import type { Gateway } from "../src/server.js";
import { bearer, call, startTestGateway } from "./helpers.js";

let auth: TestServer;
let trusting: Gateway;
let untrusting: Gateway;
beforeAll(async () => {
  auth = await startTestServer();
  trusting = await startTestGateway(auth, { GATEWAY_TRUSTED_PROXIES: "127.0.0.1,::1" });
  untrusting = await startTestGateway(auth);
});
afterAll(async () => {
  await trusting?.stop();
  await untrusting?.stop();
  await auth?.stop();
});

async function sessionIpVia(gw: Gateway, forwardedFor: string) {
  const email = uniqueEmail("xff");
  const reg = await call(gw, "POST", "/auth/register", { json: { email, password: GOOD_PASSWORD }, headers: { "x-forwarded-for": forwardedFor } });
  expect(reg.status).toBe(201);
  const sessions = await call(gw, "GET", "/users/me/sessions", { headers: bearer(reg.body.tokens.accessToken) });
  return sessions.body.sessions[0].ipAddress as string;
}

async function sessionIpDirect(headers: Record<string, string>) {
  const reg = await auth.connect(AuthService, headers).register({ email: uniqueEmail("xff"), password: GOOD_PASSWORD });
  const { sessions } = await auth.connect(UserService, { authorization: `Bearer ${reg.tokens!.accessToken}` }).listSessions({});
  return sessions[0]!.ipAddress;
}

describe("through the gateway", () => {
  it("records the client address a trusted proxy forwarded", async () => {
    expect(await sessionIpVia(trusting, "203.0.113.7")).toBe("203.0.113.7");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
    expect(await sessionIpVia(untrusting, "203.0.113.7")).toBe("127.0.0.1");
  });
});

describe("straight to the auth service", () => {
  it("ignores x-forwarded-for without the service credential", async () => {
    expect(await sessionIpDirect({ "x-forwarded-for": "203.0.113.8" })).toBe("127.0.0.1");
    expect(await sessionIpDirect({ "x-forwarded-for": "203.0.113.8", "tessera-service-credential": "not the credential at all, 32+ chars" })).toBe("127.0.0.1");
  });

  it("believes one forwarded address from a holder of the service credential", async () => {
    const credential = testConfig().serviceCredential;
    expect(await sessionIpDirect({ "x-forwarded-for": "2001:db8::5", "tessera-service-credential": credential })).toBe("2001:db8::5");
    expect(await sessionIpDirect({ "x-forwarded-for": "203.0.113.9, 10.0.0.1", "tessera-service-credential": credential })).toBe("127.0.0.1");
  });
});
