import type { Locale } from "../kernel/locale.js";

/** A Tessera account as the domain sees it (no password hash). */
export interface UserRecord {
  id: string;
  email: string;
  emailVerified: Date | null;
  name: string | null;
  image: string | null;
  role: "USER" | "ADMIN";
  profile: Record<string, unknown>;
  /** The language of the user's pages and mail. */
  locale: Locale;
  createdAt: Date;
  updatedAt: Date;
}
