/** A Tessera account as the domain sees it (no password hash). */
export interface UserRecord {
  id: string;
  email: string;
  emailVerified: Date | null;
  name: string | null;
  image: string | null;
  role: "USER" | "ADMIN";
  profile: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}
