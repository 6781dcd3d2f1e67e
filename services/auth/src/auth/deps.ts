import type { KeyRing } from "../token/key-ring.js";
import type { SessionService } from "../session/session-service.js";
import type { PasswordAuth } from "./password-auth.js";

/** What AuthService's handlers need; built once in server/app.ts. */
export interface AuthDeps {
  passwordAuth: PasswordAuth;
  sessions: SessionService;
  keys: KeyRing;
}
