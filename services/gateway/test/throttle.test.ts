/**
 * A throttled sign-in through the gateway: the auth service's RESOURCE_EXHAUSTED and its
 * `retry-after` trailer become HTTP 429 with a Retry-After header, end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../../auth/test/harness.js";
import type { Gateway } from "../src/server.js";
import { GOOD_PASSWORD, call, register, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

let auth: TestServer;
let gw: Gateway;
beforeAll(async () => {
  // Only the per-account rule is low: the gateway relays 127.0.0.1, whose per-IP buckets every suite shares.
  ({ auth, gw } = await startAuthAndGateway({ TESSERA_LIMIT_LOGIN_ACCOUNT: "2" }));
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

describe("throttling through the gateway", () => {
  it("answers 429 with Retry-After once an account has too many failed sign-ins", async () => {
    const { email } = await register(gw);
    for (let i = 0; i < 2; i++) {
      expect(await call(gw, "POST", "/auth/login", { json: { email, password: "wrong password here" } })).toMatchObject({ status: 401 });
    }
    const limited = await call(gw, "POST", "/auth/login", { json: { email, password: GOOD_PASSWORD } });
    expect(limited.status).toBe(429);
    const retryAfter = limited.headers.get("retry-after");
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThan(1); // the service's delay (15 minutes), not the gateway's fallback of 1
    expect(Number(retryAfter)).toBeLessThanOrEqual(900);
    const message = `too many sign-in attempts; retry in ${retryAfter} seconds`;
    expect(limited.body).toEqual({
      type: "about:blank",
      title: "Too Many Requests",
      status: 429,
      detail: message,
      code: "resource_exhausted",
      reason: "auth.too_many_attempts",
      message,
    });
  });
});
