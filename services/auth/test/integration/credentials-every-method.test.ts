import { Code } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdapterService } from "../../../../gen/tessera/adapter/v1/adapter_service_pb.js";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import type { ScratchDatabase } from "../global-setup.js";
import { GOOD_PASSWORD, serviceCredentialHeader, startTestServer, uniqueEmail, type TestServer } from "../harness.js";
import { failure } from "../rpc-failure.js";
import { scratchDatabase } from "../scratch-db.js";

// Every method of every Tessera service, taken from the service descriptors: a method added to
// the contract is covered without touching this file. A method is public only when listed here.
const PUBLIC: Record<string, ReadonlySet<string>> = {
  [AuthService.typeName]: new Set(["Register", "Login", "CompleteSignIn", "BeginPasskeySignIn", "FinishPasskeySignIn", "Refresh", "Logout", "RequestPasswordReset", "ResetPassword", "VerifyEmail", "ConfirmEmailChange", "GetJwks"]),
};
const SERVICES: DescService[] = [AuthService, UserService, AdapterService];

/** The credential a method needs, by its service: a user's access token, or the web server's service credential. */
const credentialOf = (service: DescService) => (service === AdapterService ? "service" : "bearer");

const FORGED_TOKEN = "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln";

/** Headers that present no credential or a wrong one, with the reason each must get. */
const ATTEMPTS: Record<"bearer" | "service", { label: string; headers: Record<string, string>; reason: string }[]> = {
  bearer: [
    { label: "no credential", headers: {}, reason: "auth.missing_token" },
    { label: "a forged token", headers: { authorization: FORGED_TOKEN }, reason: "auth.invalid_token" },
    { label: "not a bearer token", headers: { authorization: "Basic dXNlcjpwYXNz" }, reason: "auth.invalid_token" },
    // The service credential is no substitute for a user's token.
    { label: "the service credential", headers: serviceCredentialHeader(), reason: "auth.missing_token" },
  ],
  service: [
    { label: "no credential", headers: {}, reason: "service.invalid_credential" },
    { label: "a wrong credential", headers: { "tessera-service-credential": "not-the-credential" }, reason: "service.invalid_credential" },
    { label: "a user's access token", headers: { authorization: FORGED_TOKEN }, reason: "service.invalid_credential" },
  ],
};

/** Every row of every table, as text: equal before and after means nothing changed. */
async function snapshot(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1`,
    );
    const parts: string[] = [];
    for (const { name } of tables.rows) {
      const ident = client.escapeIdentifier(name);
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${ident} t ORDER BY 1`);
      parts.push(`${name}:${rows.rows.map((r) => r.row).join("\n")}`);
    }
    return parts.join("\n\n");
  } finally {
    await client.end();
  }
}

/** Mail still waiting in the outbox. */
async function queuedMail(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM "OutboxMail" WHERE status = 'QUEUED'`);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

const guarded = SERVICES.flatMap((service) =>
  service.methods.filter((m) => !PUBLIC[service.typeName]?.has(m.name)).map((method) => ({ service, method })),
);

describe("every method that acts for someone refuses a call without that someone's credential", () => {
  let scratch: ScratchDatabase;
  let server: TestServer;

  beforeAll(async () => {
    scratch = await scratchDatabase();
    server = await startTestServer({}, scratch.url);
    // Rows to protect: an account with a live session.
    await server.connect(AuthService).register({ email: uniqueEmail("creds"), password: GOOD_PASSWORD, name: "Creds" });
  });
  afterAll(async () => {
    await server?.stop();
    await scratch?.drop();
  });

  it("covers every UserService and AdapterService method and AuthService.RequestEmailVerification", () => {
    const names = guarded.map(({ service, method }) => `${service.name}.${method.name}`);
    expect(names).toEqual(expect.arrayContaining(["AuthService.RequestEmailVerification"]));
    expect(names.filter((n) => n.startsWith("UserService."))).toHaveLength(UserService.methods.length);
    expect(names.filter((n) => n.startsWith("AdapterService."))).toHaveLength(AdapterService.methods.length);
  });

  it("answers UNAUTHENTICATED with the credential's reason, and changes no row", async () => {
    // Register queues a verification mail; the outbox worker sends it on its own time. Wait for
    // that, so the only writes left are the ones a refused call could make.
    await expect.poll(() => queuedMail(scratch.url), { timeout: 10_000, interval: 50 }).toBe(0);
    const before = await snapshot(scratch.url);
    const answers: string[] = [];
    const expected: string[] = [];
    for (const { service, method } of guarded) {
      for (const { label, headers, reason } of ATTEMPTS[credentialOf(service)]) {
        const client = server.connect(service, headers) as unknown as Record<string, (req: unknown) => Promise<unknown>>;
        const got = await failure(client[method.localName]!(create(method.input)));
        answers.push(`${service.name}.${method.name} with ${label}: ${Code[got.code]} ${got.reason}`);
        expected.push(`${service.name}.${method.name} with ${label}: Unauthenticated ${reason}`);
      }
    }
    expect(answers).toEqual(expected);
    expect(await snapshot(scratch.url)).toBe(before);
  });
});
