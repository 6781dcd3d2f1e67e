import NextAuth from "next-auth";
import { authOptions } from "../../../../lib/server/auth-options";

type Handler = (req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) => Promise<Response>;

const handler: Handler = (req, ctx) => (NextAuth as unknown as (...a: unknown[]) => Promise<Response>)(req, ctx, authOptions());

export { handler as GET, handler as POST };
