// Browser-side clients for the auth service: Connect over fetch with the session's short-lived
// access token (the auth service allows this origin through its CORS allowlist). The refresh
// token and the service credential stay on the server.
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { getSession } from "next-auth/react";
import { UserService } from "../../../gen/tessera/user/v1/user_service_pb.js";

let cached: { token: string; expires: number } | undefined;

/** The current access token, fetched from /api/auth/session (which refreshes it if needed). */
async function accessToken(): Promise<string> {
  if (cached && cached.expires - Date.now() > 30_000) return cached.token;
  const session = await getSession();
  if (!session?.accessToken) throw new Error("not signed in");
  cached = { token: session.accessToken, expires: session.accessExpires ?? 0 };
  return cached.token;
}

const bearer: Interceptor = (next) => async (req) => {
  req.header.set("authorization", `Bearer ${await accessToken()}`);
  return next(req);
};

export function userClient(baseUrl: string) {
  return createClient(UserService, createConnectTransport({ baseUrl, interceptors: [bearer] }));
}
