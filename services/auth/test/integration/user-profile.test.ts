/**
 * UserService.GetMe, GetUser (own account) and UpdateProfile against a real server and database.
 */
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { Role } from "../../../../gen/tessera/user/v1/user_pb.js";
import { UserService, type UpdateProfileRequestSchema } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { startTestServer, type TestServer } from "../harness.js";
import { failureDetail } from "../rpc-failure.js";
import { signUp } from "./user-fixtures.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

describe("GetMe", () => {
  it.each(["connect", "grpc"] as const)("returns the caller's account over %s", async (protocol) => {
    const me = await signUp(server, { tag: "getme", protocol });
    const { user } = await me.users.getMe({});
    expect(user).toMatchObject({ id: me.userId, email: me.email, role: Role.USER, name: "", image: "" });
    expect(user?.createTime).toBeDefined();
    expect(user?.emailVerifiedTime).toBeUndefined();
  });

  it("GetUser with the caller's own id returns the same account", async () => {
    const me = await signUp(server);
    const { user } = await me.users.getUser({ userId: me.userId });
    expect(user?.id).toBe(me.userId);
    expect(user?.email).toBe(me.email);
  });

  it("refuses a missing or malformed token with UNAUTHENTICATED", async () => {
    expect((await failureDetail(server.connect(UserService).getMe({}))).code).toBe(Code.Unauthenticated);
    expect((await failureDetail(server.connect(UserService, { authorization: "Bearer not.a.jwt" }).getMe({}))).code).toBe(Code.Unauthenticated);
  });

  it("refuses the access token of a logged-out session at once, though it has not expired", async () => {
    const me = await signUp(server);
    await me.users.getMe({});
    await server.connect(AuthService).logout({ refreshToken: me.refreshToken });
    expect(await failureDetail(me.users.getMe({}))).toEqual({ code: Code.Unauthenticated, reason: "session.revoked", field: "" });
    expect((await failureDetail(me.users.listSessions({}))).code).toBe(Code.Unauthenticated);
    expect((await failureDetail(me.users.updateProfile({ name: "x", updateMask: { paths: ["name"] } }))).code).toBe(Code.Unauthenticated);
  });
});

describe("UpdateProfile", () => {
  const full = {
    companyName: "Acme",
    about: "We make anvils.",
    country: "FR",
    website: "https://acme.example",
    region: "Île-de-France",
    industry: "Metalwork",
    foundedYear: 1950,
    headquarters: "Paris",
    employeesNumber: 42,
    annualOperatingBudget: "2M EUR",
    background: "Family business.",
  };

  it.each(["connect", "grpc"] as const)("changes only the fields in the mask, over %s", async (protocol) => {
    const me = await signUp(server, { protocol });
    await me.users.updateProfile({ name: "Ada", profile: full, updateMask: { paths: ["name", "profile"] } });

    const res = await me.users.updateProfile({
      name: "ignored: not in the mask",
      image: "https://cdn.example/ignored.png",
      profile: { companyName: "Acme Ltd", foundedYear: 1951, country: "ignored" },
      updateMask: { paths: ["profile.company_name", "profile.founded_year"] },
    });
    const expected = { ...full, companyName: "Acme Ltd", foundedYear: 1951 };
    expect(res.user).toMatchObject({ name: "Ada", image: "", profile: expected });
    const { user } = await me.users.getMe({});
    expect(user).toMatchObject({ name: "Ada", image: "", profile: expected });
    expect(user!.updateTime!.seconds >= user!.createTime!.seconds).toBe(true);
  });

  it("stores profile JSON with camelCase keys and drops cleared fields", async () => {
    const me = await signUp(server);
    await me.users.updateProfile({ profile: full, updateMask: { paths: ["profile"] } });
    await me.users.updateProfile({ profile: { about: "", employeesNumber: 0 }, updateMask: { paths: ["profile.about", "profile.employees_number"] } });
    const row = await server.app.db.user.findUniqueOrThrow({ where: { id: me.userId }, select: { profile: true } });
    const { about: _a, employeesNumber: _e, ...rest } = full;
    expect(row.profile).toEqual(rest);
    const { user } = await me.users.getMe({});
    expect(user?.profile).toMatchObject({ ...rest, about: "", employeesNumber: 0 });
  });

  it("sets and clears the name and the image", async () => {
    const me = await signUp(server);
    let res = await me.users.updateProfile({ name: "Grace", image: "https://cdn.example/a.png", updateMask: { paths: ["name", "image"] } });
    expect(res.user).toMatchObject({ name: "Grace", image: "https://cdn.example/a.png" });
    res = await me.users.updateProfile({ image: "", updateMask: { paths: ["image"] } });
    expect(res.user).toMatchObject({ name: "Grace", image: "" });
  });

  it("the whole \"profile\" path replaces every profile field", async () => {
    const me = await signUp(server);
    await me.users.updateProfile({ profile: full, updateMask: { paths: ["profile"] } });
    const res = await me.users.updateProfile({ profile: { country: "DE" }, updateMask: { paths: ["profile"] } });
    expect(res.user?.profile).toMatchObject({ country: "DE", companyName: "", foundedYear: 0, website: "" });
  });

  const year = new Date().getUTCFullYear();
  const invalid: [string, MessageInitShape<typeof UpdateProfileRequestSchema>, string][] = [
    ["an empty mask", { updateMask: { paths: [] } }, "update_mask"],
    ["no mask at all", {}, "update_mask"],
    ["an unknown path", { updateMask: { paths: ["email"] } }, "update_mask"],
    ["an unknown profile path", { updateMask: { paths: ["profile.password"] } }, "update_mask"],
    ["a camelCase profile path", { updateMask: { paths: ["profile.companyName"] } }, "update_mask"],
    ["a name over 100 characters", { name: "n".repeat(101), updateMask: { paths: ["name"] } }, "name"],
    ["a NUL in the name", { name: "a\u0000b", updateMask: { paths: ["name"] } }, "name"],
    ["an http image", { image: "http://cdn.example/a.png", updateMask: { paths: ["image"] } }, "image"],
    ["a javascript: image", { image: "javascript:alert(1)", updateMask: { paths: ["image"] } }, "image"],
    ["an image URL over 2048 characters", { image: `https://cdn.example/${"a".repeat(2040)}`, updateMask: { paths: ["image"] } }, "image"],
    ["a website that is not http(s)", { profile: { website: "ftp://acme.example" }, updateMask: { paths: ["profile.website"] } }, "profile.website"],
    ["a website that is not a URL", { profile: { website: "acme dot com" }, updateMask: { paths: ["profile.website"] } }, "profile.website"],
    ["a company name over 200 characters", { profile: { companyName: "c".repeat(201) }, updateMask: { paths: ["profile.company_name"] } }, "profile.company_name"],
    ["about over 2000 characters", { profile: { about: "a".repeat(2001) }, updateMask: { paths: ["profile.about"] } }, "profile.about"],
    ["a NUL in the background", { profile: { background: "x\u0000" }, updateMask: { paths: ["profile.background"] } }, "profile.background"],
    ["a founding year in the future", { profile: { foundedYear: year + 1 }, updateMask: { paths: ["profile.founded_year"] } }, "profile.founded_year"],
    ["a founding year before 1000", { profile: { foundedYear: 999 }, updateMask: { paths: ["profile.founded_year"] } }, "profile.founded_year"],
    ["a negative head count", { profile: { employeesNumber: -1 }, updateMask: { paths: ["profile.employees_number"] } }, "profile.employees_number"],
    ["a head count over 10,000,000", { profile: { employeesNumber: 10_000_001 }, updateMask: { paths: ["profile.employees_number"] } }, "profile.employees_number"],
    ["a bad field after a good one (nothing changes)", { name: "Changed", profile: { country: "x".repeat(201) }, updateMask: { paths: ["name", "profile.country"] } }, "profile.country"],
    ["a bad field inside the whole profile", { profile: { ...full, website: "mailto:a@b.c" }, updateMask: { paths: ["profile"] } }, "profile.website"],
  ];
  it.each(invalid)("refuses %s with INVALID_ARGUMENT naming the field, changing nothing", async (_, req, field) => {
    const me = await signUp(server);
    await me.users.updateProfile({ name: "Before", image: "https://cdn.example/b.png", profile: full, updateMask: { paths: ["name", "image", "profile"] } });
    const before = (await me.users.getMe({})).user;
    expect(await failureDetail(me.users.updateProfile(req))).toEqual({ code: Code.InvalidArgument, reason: "request.invalid_argument", field });
    expect((await me.users.getMe({})).user).toEqual(before);
  });

  it("accepts the limits themselves", async () => {
    const me = await signUp(server);
    const res = await me.users.updateProfile({
      name: "é".repeat(100),
      profile: { about: "🙂".repeat(2000), foundedYear: year, employeesNumber: 10_000_000, companyName: "c".repeat(200), website: "http://a.example" },
      updateMask: { paths: ["name", "profile.about", "profile.founded_year", "profile.employees_number", "profile.company_name", "profile.website"] },
    });
    expect(res.user?.profile?.foundedYear).toBe(year);
    expect([...res.user!.profile!.about].length).toBe(2000);
  });
});
