/**
 * GET /users/me/sign-in-methods and DELETE /users/me/sign-in-methods/{id} through the
 * gateway, against a real auth service: the listing, unlinking, and the refusal (409) to
 * remove the last way in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { serviceCredentialHeader, type TestServer } from "../../auth/test/harness.js";
import * as s from "../src/schemas.js";
import type { Gateway } from "../src/server.js";
import { bearer, call, register, uniqueEmail, startAuthAndGateway, stopAuthAndGateway } from "./helpers.js";

let auth: TestServer;
let gw: Gateway;
beforeAll(async () => {
  ({ auth, gw } = await startAuthAndGateway());
});
afterAll(() => stopAuthAndGateway({ auth, gw }));

const adapter = () => auth.connect(AdapterService, serviceCredentialHeader());
const link = (userId: string, provider: string) =>
  adapter().linkAccount({ account: { userId, type: "oauth", provider, providerAccountId: `${provider}-${uniqueEmail("sub")}` } });

describe("sign-in methods through the gateway", () => {
  it("lists and unlinks; another user's link is 404", async () => {
    const me = await register(gw);
    await link(me.userId, "google");
    const list = await call(gw, "GET", "/users/me/sign-in-methods", { headers: bearer(me.accessToken) });
    expect(list.status).toBe(200);
    s.SignInMethods.parse(list.body);
    expect(list.body).toMatchObject({ hasPassword: true, linkedAccounts: [{ provider: "google", removable: true }] });
    const id = list.body.linkedAccounts[0].id as string;

    const other = await register(gw);
    expect((await call(gw, "DELETE", `/users/me/sign-in-methods/${id}`, { headers: bearer(other.accessToken) })).status).toBe(404);

    expect((await call(gw, "DELETE", `/users/me/sign-in-methods/${id}`, { headers: bearer(me.accessToken) })).status).toBe(204);
    expect((await call(gw, "GET", "/users/me/sign-in-methods", { headers: bearer(me.accessToken) })).body.linkedAccounts).toEqual([]);
    expect((await call(gw, "GET", "/users/me/sign-in-methods")).status).toBe(401);
  });

  it("refuses to remove the last way in with 409", async () => {
    const { user } = await adapter().createUser({ email: uniqueEmail("gw-oauth-only") });
    await link(user!.id, "oidc");
    const { tokens } = await adapter().issueTokens({ userId: user!.id });
    const list = await call(gw, "GET", "/users/me/sign-in-methods", { headers: bearer(tokens!.accessToken) });
    expect(list.body).toMatchObject({ hasPassword: false, linkedAccounts: [{ provider: "oidc", removable: false }] });
    const refused = await call(gw, "DELETE", `/users/me/sign-in-methods/${list.body.linkedAccounts[0].id}`, { headers: bearer(tokens!.accessToken) });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: "failed_precondition", message: expect.stringContaining("only way to sign in") });
    expect((await call(gw, "GET", "/users/me/sign-in-methods", { headers: bearer(tokens!.accessToken) })).body.linkedAccounts).toHaveLength(1);
  });
});
