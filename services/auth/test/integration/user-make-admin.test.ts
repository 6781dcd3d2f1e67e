/**
 * The make-admin command (`npm run admin:grant -- <email>`, an alias of `npm run tessera --
 * grant-admin <email>`), run as a child process against the test database, as an operator would.
 */
import { join } from "node:path";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { AuditEventType } from "../../../../gen/tessera/user/v1/audit_event_pb.js";
import { Role } from "../../../../gen/tessera/user/v1/user_pb.js";
import { REPO_ROOT, run } from "../child.js";
import { startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { signUp } from "./user-fixtures.js";

const CLI = join(REPO_ROOT, "services/auth/src/cli/tessera-cli.ts");

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

function makeAdmin(args: string[], env: Record<string, string> = { DATABASE_URL: inject("databaseUrl") }) {
  return run(process.execPath, ["--import", "tsx", CLI, "grant-admin", ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
}

it("promotes a registered user, who can then act as admin, and records ROLE_CHANGED", async () => {
  const user = await signUp(server, { tag: "promoted" });
  // The address is normalised like at sign-in.
  const done = await makeAdmin([`  ${user.email.toUpperCase()} `]);
  expect(done.stderr).toBe("");
  expect(done.code).toBe(0);
  expect(done.stdout).toContain(`${user.email} (user ${user.userId}) is now an admin`);

  // The same access token now carries admin rights: the role is read per call.
  expect((await user.users.getMe({})).user?.role).toBe(Role.ADMIN);
  const { events } = await user.users.listAuditEvents({ userId: user.userId, type: AuditEventType.ROLE_CHANGED });
  expect(events).toHaveLength(1);
  expect(events[0]?.userAgent).toBe("tessera-cli");
  const row = await server.app.db.auditEvent.findUniqueOrThrow({ where: { id: events[0]!.id } });
  expect(row.data).toMatchObject({ from: "USER", to: "ADMIN" });

  // Running it again changes nothing and still succeeds.
  const again = await makeAdmin([user.email]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain("is already an admin");
  expect(await server.app.db.auditEvent.count({ where: { userId: user.userId, type: "ROLE_CHANGED" } })).toBe(1);
});

it("exits 1 with a clear message for an email no account has", async () => {
  const email = uniqueEmail("nobody");
  const done = await makeAdmin([email]);
  expect(done.code).toBe(1);
  expect(done.stderr.trim()).toBe(`error: no account has the email ${email}; register it first (or use create-admin), then run this again`);
  expect(done.stdout).toBe("");
});

it.each([
  ["no argument", [], "usage:"],
  ["an invalid address", ["not-an-email"], "is not a valid email address"],
])("exits 1 for %s", async (_, args, message) => {
  const done = await makeAdmin(args);
  expect(done.code).toBe(1);
  expect(done.stderr).toContain(message);
});

it("exits 1 when DATABASE_URL is not set", async () => {
  const done = await makeAdmin([uniqueEmail()], {});
  expect(done.code).toBe(1);
  expect(done.stderr).toContain("DATABASE_URL is not set");
});
