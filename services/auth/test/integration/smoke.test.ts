import { afterAll, beforeAll, expect, it } from "vitest";
import { AuthService } from "../../../../gen/tessera/auth/v1/auth_service_pb.js";
import { GOOD_PASSWORD, startTestServer, uniqueEmail, type TestServer } from "../harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.stop());

it("registers over Connect and logs in over gRPC", async () => {
  const email = uniqueEmail();
  const reg = await server.connect(AuthService).register({ email, password: GOOD_PASSWORD });
  expect(reg.user?.email).toBe(email);
  const login = await server.grpc(AuthService).login({ email, password: GOOD_PASSWORD });
  expect(login.user?.id).toBe(reg.user?.id);
});
