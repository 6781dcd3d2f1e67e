/**
 * Shared helpers of the UserService suites (user-*.test.ts): accounts signed in through the
 * public API and clients carrying their access tokens.
 */
import type { Client } from "@connectrpc/connect";
import { expect } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { UserService } from "../../../../gen/tessera/user/v1/user_service_pb.js";
import { setRole } from "../../src/admin/roles.js";
import { GOOD_PASSWORD, uniqueEmail, type TestServer } from "../harness.js";

/** One signed-in session: its tokens and a UserService client using its access token. */
export interface SignedIn {
  email: string;
  userId: string;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  users: Client<typeof UserService>;
}

function signedIn(server: TestServer, email: string, userId: string, tokens: { sessionId: string; accessToken: string; refreshToken: string }, protocol: "connect" | "grpc"): SignedIn {
  return {
    email,
    userId,
    sessionId: tokens.sessionId,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    users: server[protocol](UserService, { authorization: `Bearer ${tokens.accessToken}` }),
  };
}

/** Registers a new account (its first session). */
export async function signUp(
  server: TestServer,
  opts: { tag?: string; email?: string; userAgent?: string; protocol?: "connect" | "grpc" } = {},
): Promise<SignedIn> {
  const email = opts.email ?? uniqueEmail(opts.tag ?? "user");
  const headers = opts.userAgent ? { "user-agent": opts.userAgent } : undefined;
  const { user, tokens } = await server.connect(AuthService, headers).register({ email, password: GOOD_PASSWORD });
  return signedIn(server, email, user!.id, tokens!, opts.protocol ?? "connect");
}

/** Signs in again: a new session of the same account. */
export async function signIn(
  server: TestServer,
  email: string,
  opts: { password?: string; userAgent?: string; protocol?: "connect" | "grpc" } = {},
): Promise<SignedIn> {
  const headers = opts.userAgent ? { "user-agent": opts.userAgent } : undefined;
  const { user, tokens } = await server.connect(AuthService, headers).login({ email, password: opts.password ?? GOOD_PASSWORD });
  return signedIn(server, email, user!.id, tokens!, opts.protocol ?? "connect");
}

/** A new account promoted to ROLE_ADMIN (as the make-admin command does). */
export async function signUpAdmin(server: TestServer): Promise<SignedIn> {
  const admin = await signUp(server, { tag: "admin" });
  const outcome = await setRole(server.app.db, { email: admin.email }, "ADMIN", { client: { ipAddress: "", userAgent: "test" }, via: "test" });
  expect(outcome.kind).toBe("changed");
  return admin;
}
