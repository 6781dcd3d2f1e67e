import type { AuditLog } from "../audit/audit-log.js";
import type { UserRecord } from "../identity/user.js";
import type { ClientInfo } from "../kernel/client-info.js";
import { DomainError } from "../kernel/errors.js";
import type { IssuedTokens, SessionService } from "../session/session-service.js";
import type { Throttle } from "../throttle/throttle.js";
import type { PasskeyAssertions } from "./passkey-assertions.js";

/**
 * Passwordless sign-in: discoverable credentials, user verification required, so the passkey
 * stands for both factors and a session opens at once. Finishing counts against Login's
 * per-IP limit; beginning against a higher one of its own, since sign-in pages ask on every view. A refusal whose credential belongs to an account is audited as SIGN_IN_FAILED.
 */
export class PasskeySignIn {
  constructor(
    private readonly assertions: PasskeyAssertions,
    private readonly sessions: SessionService,
    private readonly audit: AuditLog,
    private readonly throttle: Throttle,
  ) {}

  /** Request options with no allowCredentials, for the browser's passkey picker (or conditional UI). */
  async begin(client: ClientInfo): Promise<string> {
    await this.throttle.hit("passkeyOptionsIp", client.ipAddress);
    return this.assertions.options("sign_in", {}, [], "required");
  }

  async finish(json: string, client: ClientInfo): Promise<{ user: UserRecord; tokens: IssuedTokens }> {
    await this.throttle.hit("loginIp", client.ipAddress);
    const outcome = await this.assertions.verify(json, "response_json", "sign_in", {}, { requireUserVerification: true }, async () => undefined);
    if (!outcome.ok) {
      if (outcome.ownerId) await this.audit.record({ type: "SIGN_IN_FAILED", userId: outcome.ownerId, client, data: { method: "passkey" } });
      throw new DomainError("auth.invalid_passkey");
    }
    return this.sessions.start({ id: outcome.passkey.userId }, client, [{ type: "SIGN_IN_SUCCEEDED", data: { method: "passkey" } }]);
  }
}
