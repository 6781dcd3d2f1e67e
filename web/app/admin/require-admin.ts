// The admin console's gate: the signed-in account must hold ROLE_ADMIN, as the auth service
// says now (not as a cookie remembers). Everyone else gets the ordinary 404, so the console's
// existence is not advertised.
import "server-only";
import { notFound } from "next/navigation";
import { Role, type User } from "../../../gen/tessera/user/v1/user_pb.js";
import { tessera } from "../../lib/server/rpc";
import { asUser, orSignIn, requireSession } from "../../lib/server/session";

export async function requireAdmin(returnTo: string): Promise<{ session: { accessToken: string }; me: User }> {
  const session = await requireSession(returnTo);
  const { user } = await orSignIn(tessera().user.getMe({}, asUser(session)));
  if (user?.role !== Role.ADMIN) notFound();
  return { session, me: user };
}
