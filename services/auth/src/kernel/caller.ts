/** Who is calling, from a verified access token whose session is still live. */
export interface Caller {
  userId: string;
  sessionId: string;
  role: "USER" | "ADMIN";
}
