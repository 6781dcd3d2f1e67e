/**
 * Throttling against password guessing and mail flooding: Login per account and client, per account (failed attempts) and
 * per IP, ChangePassword/DeleteAccount's password check per user and client and per user, Register per IP,
 * RequestPasswordReset per email and per IP, RequestEmailVerification (and RequestEmailChange's mail) per user. Counted in
 * PostgreSQL, so two service instances on one database share the counts; a throttled call gets
 * RESOURCE_EXHAUSTED with a reason, a message naming the delay and `retry-after` metadata.
 *
 * The suites share one test database, and so the buckets of 127.0.0.1: every call here comes
 * "from" its own documentation address (a /64 of 2001:db8::/32), relayed in x-forwarded-for with the
 * service credential, as the REST gateway and the web server do.
 */
import { Code, ConnectError, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import type { DescService } from "@bufbuild/protobuf";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { ErrorDetailSchema } from "../../../../gen/tessera/errors/v1/error_detail_pb.js";
import { GOOD_PASSWORD, inProcessAuth, serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { connectErrorOf } from "../rpc-failure.js";

const LIMITS = {
  TESSERA_LIMIT_LOGIN_ACCOUNT: "3",
  TESSERA_LIMIT_LOGIN_ACCOUNT_TOTAL: "6",
  TESSERA_LIMIT_LOGIN_IP: "8",
  TESSERA_LIMIT_PASSKEY_OPTIONS_IP: "12",
  TESSERA_LIMIT_REGISTER_IP: "4",
  TESSERA_LIMIT_RESET_EMAIL: "2",
  TESSERA_LIMIT_RESET_IP: "5",
  TESSERA_LIMIT_VERIFY_USER: "2",
};
const WRONG = "not the password at all";

/** Two replicas of the service on the same database, and one with a 1-second login window. */
let a: TestServer;
let b: TestServer;
let shortWindow: TestServer;
beforeAll(async () => {
  [a, b, shortWindow] = await Promise.all([
    startTestServer(LIMITS),
    startTestServer(LIMITS),
    startTestServer({ ...LIMITS, TESSERA_LIMIT_LOGIN_ACCOUNT_WINDOW: "1" }),
  ]);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), shortWindow?.stop()]);
});

/** This run's own /48 of the IPv6 documentation prefix: buckets of earlier runs (still in their window) never collide. */
const runPrefix = `2001:db8:${randomBytes(2).toString("hex")}`;
let subnet = 0;
/** A client IP (in a /64 of its own) no other test, suite or run uses. */
const freshIp = () => `${runPrefix}:${(++subnet).toString(16)}::1`;

/** AuthService on `server` as seen from `ip` (relayed like the gateway does), over Connect or gRPC. */
function from(server: TestServer, ip: string, opts: { grpc?: boolean; headers?: Record<string, string> } = {}): Client<typeof AuthService> {
  const headers = { ...serviceCredentialHeader(), "x-forwarded-for": ip, ...opts.headers };
  return opts.grpc ? server.grpc(AuthService, headers) : server.connect(AuthService, headers);
}

/** Checks a RESOURCE_EXHAUSTED answer and returns its retry delay in seconds. */
function expectThrottled(err: ConnectError, reason: string, maxSeconds: number): number {
  expect(err.code, err.message).toBe(Code.ResourceExhausted);
  expect(err.findDetails(ErrorDetailSchema)[0]).toMatchObject({ reason, field: "" });
  const header = err.metadata.get("retry-after");
  expect(header).toMatch(/^\d+$/);
  const seconds = Number(header);
  expect(seconds).toBeGreaterThan(0);
  expect(seconds).toBeLessThanOrEqual(maxSeconds);
  expect(err.rawMessage).toMatch(new RegExp(`^too many [a-z -]+; retry in ${seconds} seconds?$`));
  return seconds;
}

/** The answer with its numbers blanked: what a client could compare between two emails. */
function shape(err: ConnectError) {
  return { code: err.code, details: err.findDetails(ErrorDetailSchema), message: err.rawMessage.replace(/\d+/g, "N") };
}

async function signUp(server: TestServer, ip: string) {
  const email = uniqueEmail("throttle");
  const res = await from(server, ip).register({ email, password: GOOD_PASSWORD });
  return { email, accessToken: res.tokens!.accessToken };
}

async function failLogins(client: Client<typeof AuthService>, email: string, n: number) {
  for (let i = 0; i < n; i++) {
    expect((await connectErrorOf(client.login({ email, password: WRONG }))).code).toBe(Code.Unauthenticated);
  }
}

describe("Login, per account", () => {
  it("refuses the 4th failed sign-in for an email with RESOURCE_EXHAUSTED, then also the right password", async () => {
    const ip = freshIp();
    const { email } = await signUp(a, ip);
    const auth = from(a, ip);
    await failLogins(auth, email, 3);

    const fourth = await connectErrorOf(auth.login({ email, password: WRONG }));
    const seconds = expectThrottled(fourth, "auth.too_many_attempts", 900);
    expect(fourth.rawMessage).toBe(`too many sign-in attempts; retry in ${seconds} seconds`);
    expect(seconds).toBeGreaterThan(890);

    expectThrottled(await connectErrorOf(auth.login({ email: ` ${email.toUpperCase()}`, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
    // gRPC carries the delay in a trailer; the same answer.
    expectThrottled(await connectErrorOf(from(a, ip, { grpc: true }).login({ email, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
    // Another client is not locked out by this one's failures: the owner still signs in.
    expect((await from(a, freshIp()).login({ email, password: GOOD_PASSWORD })).user?.email).toBe(email);
  });

  it("answers the Connect protocol with HTTP 429 and a Retry-After header", async () => {
    const ip = freshIp();
    const email = uniqueEmail("nobody");
    await failLogins(from(a, ip), email, 3);
    const res = await fetch(`${a.baseUrl}/tessera.auth.v1.AuthService/Login`, {
      method: "POST",
      headers: { "content-type": "application/json", ...serviceCredentialHeader(), "x-forwarded-for": ip },
      body: JSON.stringify({ email, password: WRONG }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ code: "resource_exhausted", message: expect.stringMatching(/^too many sign-in attempts; retry in \d+ seconds$/) });
  });

  it("answers an email no account uses exactly like an existing one", async () => {
    const ip = freshIp();
    const { email: known } = await signUp(a, ip);
    const unknown = uniqueEmail("nobody");
    const [forKnownIp, forUnknownIp] = [from(a, freshIp()), from(a, freshIp())];
    await failLogins(forKnownIp, known, 3);
    await failLogins(forUnknownIp, unknown, 3);
    const forKnown = await connectErrorOf(forKnownIp.login({ email: known, password: WRONG }));
    const forUnknown = await connectErrorOf(forUnknownIp.login({ email: unknown, password: WRONG }));
    expectThrottled(forUnknown, "auth.too_many_attempts", 900);
    expect(shape(forUnknown)).toEqual(shape(forKnown));
    expect([...forUnknown.metadata.keys()].sort()).toEqual([...forKnown.metadata.keys()].sort());
  });

  it("stops a throttled call before any lookup or argon2 work, and counts only failures", async () => {
    // In process: no peer address, so only the per-account rule applies.
    const { components, auth } = await inProcessAuth(LIMITS);
    try {
      const verify = vi.spyOn(components.hasher, "verify");
      const lookup = vi.spyOn(components.users, "findCredentials");
      const email = uniqueEmail("argon");
      await auth.register({ email, password: GOOD_PASSWORD });
      // Successful sign-ins are given back: they never use up the allowance.
      for (let i = 0; i < 5; i++) await auth.login({ email, password: GOOD_PASSWORD });
      await failLogins(auth, email, 3);
      expect(verify).toHaveBeenCalledTimes(8);
      for (const password of [WRONG, GOOD_PASSWORD]) {
        expect((await connectErrorOf(auth.login({ email, password }))).code).toBe(Code.ResourceExhausted);
      }
      expect((await connectErrorOf(auth.login({ email: uniqueEmail("nobody"), password: WRONG }))).code).toBe(Code.Unauthenticated);
      expect(verify).toHaveBeenCalledTimes(9);
      expect(lookup).toHaveBeenCalledTimes(9);
    } finally {
      await components.close();
    }
  });

  it("starts counting again once the window has ended", async () => {
    const ip = freshIp();
    const { email } = await signUp(shortWindow, ip);
    const auth = from(shortWindow, ip);
    await failLogins(auth, email, 3);
    const seconds = expectThrottled(await connectErrorOf(auth.login({ email, password: GOOD_PASSWORD })), "auth.too_many_attempts", 1);
    await new Promise((r) => setTimeout(r, seconds * 1000 + 100));
    const res = await auth.login({ email, password: GOOD_PASSWORD });
    expect(res.user?.email).toBe(email);
  });
});

describe("Login, the owner stays in", () => {
  /** The token of the newest reset link delivered to `to` (the development mailbox of the shared database). */
  async function mailedResetToken(to: string): Promise<string> {
    let token: string | undefined;
    await expect
      .poll(
        async () => {
          const mails = await a.app.db.devMail.findMany({ where: { to }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
          token = mails.map((m) => /\/reset-password\?token=([A-Za-z0-9_-]{43})\b/.exec(m.text)?.[1]).filter(Boolean).at(-1);
          return token !== undefined;
        },
        { timeout: 10_000, interval: 50 },
      )
      .toBe(true);
    return token!;
  }

  it("locks out only the guessing client: the owner signs in from another address, the guesser stays refused", async () => {
    const { email } = await signUp(a, freshIp());
    const attacker = from(a, freshIp());
    await failLogins(attacker, email, 3);
    expectThrottled(await connectErrorOf(attacker.login({ email, password: WRONG })), "auth.too_many_attempts", 900);
    for (let i = 0; i < 3; i++) expect((await from(b, freshIp()).login({ email, password: GOOD_PASSWORD })).user?.email).toBe(email);
    // The owner's success cleared the owner's counts, not the guesser's.
    expectThrottled(await connectErrorOf(attacker.login({ email, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
  });

  it("caps failures from many addresses account-wide, answers an unknown email alike, and a reset lifts the cap", async () => {
    const { email } = await signUp(a, freshIp());
    const unknown = uniqueEmail("nobody");
    const firstIp = freshIp();
    const answers: ConnectError[] = [];
    for (const target of [email, unknown]) {
      // Two addresses use up the account-wide cap of 6; the refused 4th try of each is not counted account-wide.
      for (const ip of [target === email ? firstIp : freshIp(), freshIp()]) {
        await failLogins(from(a, ip), target, 3);
        expectThrottled(await connectErrorOf(from(a, ip).login({ email: target, password: WRONG })), "auth.too_many_attempts", 900);
      }
      answers.push(await connectErrorOf(from(b, freshIp()).login({ email: target, password: WRONG })));
    }
    expectThrottled(answers[0]!, "auth.too_many_attempts", 3600);
    expect(shape(answers[1]!)).toEqual(shape(answers[0]!));
    // With more addresses than the cap allows, the attacker keeps the owner's password sign-in shut for the window...
    const owner = from(a, freshIp());
    expectThrottled(await connectErrorOf(owner.login({ email, password: GOOD_PASSWORD })), "auth.too_many_attempts", 3600);
    // ...but not a password reset, and a completed reset clears every count of the account.
    await owner.requestPasswordReset({ email });
    const newPassword = "a fresh passphrase after the lockout";
    await owner.resetPassword({ token: await mailedResetToken(email), newPassword });
    expect((await from(a, firstIp).login({ email, password: newPassword })).user?.email).toBe(email);
    expect((await owner.login({ email, password: newPassword })).user?.email).toBe(email);
  });
});

describe("the current-password check of ChangePassword and DeleteAccount", () => {
  /** `service` on server a as seen from `ip`, signed in with `accessToken`. */
  function signedIn<T extends DescService>(service: T, accessToken: string, ip: string) {
    return a.connect(service, { ...serviceCredentialHeader(), "x-forwarded-for": ip, authorization: `Bearer ${accessToken}` });
  }
  const NEW_PASSWORD = "another passphrase entirely";

  it("throttles ChangePassword's wrong guesses per user and client, then per user, before the password changes", async () => {
    const { email, accessToken } = await signUp(a, freshIp());
    const ipA = freshIp();
    const fromA = signedIn(UserService, accessToken, ipA);
    for (let i = 0; i < 3; i++) {
      expect((await connectErrorOf(fromA.changePassword({ currentPassword: WRONG, newPassword: NEW_PASSWORD }))).code).toBe(Code.Unauthenticated);
    }
    expectThrottled(await connectErrorOf(fromA.changePassword({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD })), "auth.too_many_attempts", 900);
    // Another address has its own small allowance; together they reach the per-user cap of 6.
    const fromB = signedIn(UserService, accessToken, freshIp());
    for (let i = 0; i < 3; i++) {
      expect((await connectErrorOf(fromB.changePassword({ currentPassword: WRONG, newPassword: NEW_PASSWORD }))).code).toBe(Code.Unauthenticated);
    }
    const capped = await connectErrorOf(signedIn(UserService, accessToken, freshIp()).changePassword({ currentPassword: GOOD_PASSWORD, newPassword: NEW_PASSWORD }));
    expectThrottled(capped, "auth.too_many_attempts", 3600);
    expect(capped.rawMessage).toMatch(/^too many password attempts; retry in \d+ seconds$/);
    // Nothing changed: the old password still signs in, the new one does not.
    expect((await from(a, freshIp()).login({ email, password: GOOD_PASSWORD })).user?.email).toBe(email);
    expect((await connectErrorOf(from(a, freshIp()).login({ email, password: NEW_PASSWORD }))).code).toBe(Code.Unauthenticated);
  });

  it("throttles DeleteAccount's wrong guesses the same way, and keeps the account", async () => {
    const { email, accessToken } = await signUp(a, freshIp());
    const fromA = signedIn(UserService, accessToken, freshIp());
    for (let i = 0; i < 3; i++) expect((await connectErrorOf(fromA.deleteAccount({ password: WRONG }))).code).toBe(Code.Unauthenticated);
    expectThrottled(await connectErrorOf(fromA.deleteAccount({ password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
    expect(await a.app.db.user.count({ where: { email } })).toBe(1);
    // The owner, from another address, still can.
    await signedIn(UserService, accessToken, freshIp()).deleteAccount({ password: GOOD_PASSWORD });
    expect(await a.app.db.user.count({ where: { email } })).toBe(0);
  });
});

describe("RequestEmailChange", () => {
  const signedInFrom = (accessToken: string, ip: string) =>
    a.connect(UserService, { ...serviceCredentialHeader(), "x-forwarded-for": ip, authorization: `Bearer ${accessToken}` });

  it("counts wrong passwords with ChangePassword's, and once throttled checks no password and mails nothing", async () => {
    const { email, accessToken } = await signUp(a, freshIp());
    const ip = freshIp();
    const users = signedInFrom(accessToken, ip);
    const newEmail = uniqueEmail("change-throttle");
    // Two wrong guesses at ChangePassword and one here: one counter, the per-client limit of 3.
    for (let i = 0; i < 2; i++) {
      expect((await connectErrorOf(users.changePassword({ currentPassword: WRONG, newPassword: "another passphrase entirely" }))).code).toBe(Code.Unauthenticated);
    }
    expect((await connectErrorOf(users.requestEmailChange({ newEmail, password: WRONG }))).code).toBe(Code.Unauthenticated);
    expectThrottled(await connectErrorOf(users.requestEmailChange({ newEmail, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
    expect(await a.app.db.oneTimeToken.count({ where: { email: newEmail } })).toBe(0);
    expect(await a.app.db.outboxMail.count({ where: { to: newEmail } })).toBe(0);
    expect(await a.app.db.user.count({ where: { email } })).toBe(1);
  });

  it("shares RequestEmailVerification's per-user mail limit, and refuses without a token or mail", async () => {
    const { accessToken } = await signUp(a, freshIp());
    const users = signedInFrom(accessToken, freshIp());
    const [first, second, third] = [uniqueEmail("change-mail"), uniqueEmail("change-mail"), uniqueEmail("change-mail")];
    await users.requestEmailChange({ newEmail: first, password: GOOD_PASSWORD });
    await users.requestEmailChange({ newEmail: second, password: GOOD_PASSWORD });
    const err = await connectErrorOf(users.requestEmailChange({ newEmail: third, password: GOOD_PASSWORD }));
    expectThrottled(err, "auth.too_many_verification_requests", 3600);
    expect(await a.app.db.oneTimeToken.count({ where: { email: third } })).toBe(0);
    expect(await a.app.db.outboxMail.count({ where: { to: third } })).toBe(0);
  });
});

describe("Login, per IP", () => {
  it("lets another account sign in from the same IP until the IP's limit, then refuses everyone there", async () => {
    const ip = freshIp();
    const { email: victim } = await signUp(a, ip);
    const { email: other } = await signUp(a, freshIp());
    const auth = from(a, ip);
    await failLogins(auth, victim, 3); // IP count 3
    expect((await connectErrorOf(auth.login({ email: victim, password: GOOD_PASSWORD }))).code).toBe(Code.ResourceExhausted); // 4
    for (let i = 0; i < 4; i++) await auth.login({ email: other, password: GOOD_PASSWORD }); // 5..8
    expectThrottled(await connectErrorOf(auth.login({ email: other, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900); // 9
    expectThrottled(await connectErrorOf(auth.login({ email: uniqueEmail("nobody"), password: WRONG })), "auth.too_many_attempts", 900);
    // The same account from elsewhere is fine: its own failures are not counted.
    expect((await from(a, freshIp()).login({ email: other, password: GOOD_PASSWORD })).user?.email).toBe(other);
  });
});

describe("passkey sign-in, per IP", () => {
  it("counts starts apart from sign-ins (a page asks on every view), and finishing as a sign-in attempt", async () => {
    const ip = freshIp();
    const { email } = await signUp(a, freshIp());
    const auth = from(a, ip);
    // More starts than the 8 sign-ins the IP may try: none of them spends a sign-in attempt.
    for (let i = 0; i < 12; i++) expect(JSON.parse((await auth.beginPasskeySignIn({})).optionsJson).challenge).toMatch(/^[\w-]+$/);
    expectThrottled(await connectErrorOf(auth.beginPasskeySignIn({})), "auth.too_many_attempts", 900); // 13
    expect((await auth.login({ email, password: GOOD_PASSWORD })).user?.email).toBe(email); // sign-in 1
    // Each finish is a sign-in attempt, even one whose answer is garbage.
    for (let i = 2; i <= 8; i++) expect((await connectErrorOf(auth.finishPasskeySignIn({ responseJson: "{}" }))).code).toBe(Code.InvalidArgument);
    expectThrottled(await connectErrorOf(auth.finishPasskeySignIn({ responseJson: "{}" })), "auth.too_many_attempts", 900); // 9
    expectThrottled(await connectErrorOf(auth.login({ email, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
  });
});

describe("Register, per IP", () => {
  it("refuses the 5th registration from one IP and creates nothing", async () => {
    const ip = freshIp();
    const auth = from(a, ip);
    for (let i = 0; i < 4; i++) await auth.register({ email: uniqueEmail("reg"), password: GOOD_PASSWORD });
    const email = uniqueEmail("reg");
    const err = await connectErrorOf(auth.register({ email, password: GOOD_PASSWORD }));
    expectThrottled(err, "auth.too_many_registrations", 3600);
    expect(err.rawMessage).toMatch(/^too many sign-ups; retry in \d+ seconds$/);
    expect(await a.app.db.user.count({ where: { email } })).toBe(0);
    expect(await a.app.db.outboxMail.count({ where: { to: email } })).toBe(0);
    await from(a, freshIp()).register({ email, password: GOOD_PASSWORD });
  });
});

describe("RequestPasswordReset", () => {
  // Bodies are sealed at rest, so reset mail is told apart by its subject.
  const resetMails = (to: string) => a.app.db.outboxMail.count({ where: { to, subject: "Reset your Tessera password" } });

  it("throttles per email with no mail beyond the limit, answering unknown addresses the same", async () => {
    const { email } = await signUp(a, freshIp());
    const unknown = uniqueEmail("nobody");
    const answers: ConnectError[] = [];
    for (const target of [email, unknown]) {
      const auth = from(a, freshIp());
      await auth.requestPasswordReset({ email: target });
      await from(b, freshIp()).requestPasswordReset({ email: target.toUpperCase() });
      const err = await connectErrorOf(auth.requestPasswordReset({ email: target }));
      expectThrottled(err, "auth.too_many_reset_requests", 3600);
      expect(err.rawMessage).toMatch(/^too many password reset requests; retry in \d+ seconds$/);
      answers.push(err);
    }
    expect(shape(answers[1]!)).toEqual(shape(answers[0]!));
    expect(await resetMails(email)).toBe(2);
    expect(await resetMails(unknown)).toBe(0);
    expect(await a.app.db.oneTimeToken.count({ where: { email, purpose: "PASSWORD_RESET" } })).toBe(2);
  });

  it("throttles per IP across addresses", async () => {
    const auth = from(a, freshIp());
    for (let i = 0; i < 5; i++) await auth.requestPasswordReset({ email: uniqueEmail("reset-ip") });
    const { email } = await signUp(a, freshIp());
    expectThrottled(await connectErrorOf(auth.requestPasswordReset({ email })), "auth.too_many_reset_requests", 3600);
    expect(await resetMails(email)).toBe(0);
  });
});

describe("RequestEmailVerification, per user", () => {
  it("mails twice, then refuses without queueing mail", async () => {
    const { email, accessToken } = await signUp(a, freshIp());
    const auth = from(a, freshIp(), { headers: { authorization: `Bearer ${accessToken}` } });
    await auth.requestEmailVerification({});
    await auth.requestEmailVerification({});
    const err = await connectErrorOf(auth.requestEmailVerification({}));
    expectThrottled(err, "auth.too_many_verification_requests", 3600);
    expect(err.rawMessage).toMatch(/^too many verification emails; retry in \d+ seconds$/);
    // The one Register sent, and two more.
    expect(await a.app.db.oneTimeToken.count({ where: { email, purpose: "EMAIL_VERIFICATION" } })).toBe(3);
    expect(await a.app.db.outboxMail.count({ where: { to: email } })).toBe(3);
  });
});

describe("every replica", () => {
  it("shares the counts between two service instances on one database", async () => {
    const ip = freshIp();
    const { email } = await signUp(a, ip);
    await failLogins(from(a, ip), email, 2);
    await failLogins(from(b, ip), email, 1);
    expectThrottled(await connectErrorOf(from(b, ip).login({ email, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
    expectThrottled(await connectErrorOf(from(a, ip).login({ email, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);

    // The IP limit too: 5 attempts so far from `ip`; 3 more on either instance, then none.
    const { email: other } = await signUp(a, freshIp());
    await from(a, ip).login({ email: other, password: GOOD_PASSWORD });
    await from(b, ip).login({ email: other, password: GOOD_PASSWORD });
    await from(a, ip).login({ email: other, password: GOOD_PASSWORD });
    expectThrottled(await connectErrorOf(from(b, ip).login({ email: other, password: GOOD_PASSWORD })), "auth.too_many_attempts", 900);
  });
});
