/**
 * Look-alike addresses: an address that looks like one already registered —
 * with an invisible code point, in full-width letters, or with its IDN domain in the other
 * form — never becomes a second account. Through the real server, over Connect.
 */
import { randomBytes } from "node:crypto";
import { Code, type Client } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, startTestServer, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";

let server: TestServer;
let auth: Client<typeof AuthService>;
beforeAll(async () => {
  server = await startTestServer();
  auth = server.connect(AuthService);
});
afterAll(() => server?.stop());

/** Every character of `s` that has a full-width form (U+FF01..U+FF5E) in that form. */
const fullWidth = (s: string) => [...s].map((c) => (c > " " && c <= "~" ? String.fromCodePoint(c.codePointAt(0)! - 0x21 + 0xff01) : c)).join("");

/** Accounts whose stored email holds `tag`. */
const accountsWith = (tag: string) => server.app.db.user.findMany({ where: { email: { contains: tag } }, select: { email: true } });

describe("Register with a look-alike of a registered address", () => {
  it.each([
    ["an ASCII domain", "example.com", "example.com", "example.com"],
    ["an IDN domain given in Unicode", "bücher.example", "xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["an IDN domain given in punycode", "xn--bcher-kva.example", "bücher.example", "xn--bcher-kva.example"],
  ])("never makes a second account, for %s", async (_name, domain, otherForm, asciiForm) => {
    const tag = randomBytes(4).toString("hex");
    const local = `ada.${tag}`;
    const first = await auth.register({ email: `${local}@${domain}`, password: GOOD_PASSWORD });
    const stored = first.user!.email;
    expect(stored).toBe(`${local}@${asciiForm}`); // stored with the domain's ASCII form

    const refused = { code: Code.InvalidArgument, reason: "request.invalid_argument", field: "email" };
    const taken = { code: Code.AlreadyExists, reason: "user.already_exists" };
    const variants: [string, object][] = [
      [`ada\u034f.${tag}@${domain}`, refused], // combining grapheme joiner
      [`a\u200dda.${tag}@${domain}`, refused], // zero width joiner
      [`ada.${tag}\ufe0f@${domain}`, refused], // variation selector
      [`ada.${tag}@${domain.replace("e", "e\u00ad")}`, refused], // soft hyphen in the domain
      [`${fullWidth(local)}@${domain}`, taken], // ａｄａ
      [`${fullWidth(local).toUpperCase()}@${fullWidth(domain)}`, taken],
      [`${local}@${otherForm}`, taken], // the domain's other IDN form
      [`${local.toUpperCase()}@${otherForm.toUpperCase()}`, taken],
    ];
    for (const [email, answer] of variants) {
      expect(await failure(auth.register({ email, password: GOOD_PASSWORD })), email).toMatchObject(answer);
    }
    expect(await accountsWith(tag)).toEqual([{ email: stored }]);
    // The variants that fold to the address sign in to the one account.
    for (const email of [`${fullWidth(local)}@${domain}`, `${local}@${otherForm}`]) {
      expect((await auth.login({ email, password: GOOD_PASSWORD })).user?.id).toBe(first.user!.id);
    }
  });
});
