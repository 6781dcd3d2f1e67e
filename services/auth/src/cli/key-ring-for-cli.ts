import { ConfigError, loadConfig } from "../config/config.js";
import type { PrismaClient } from "../db/client.js";
import { KeyRing } from "../token/key-ring.js";
import { PrismaSigningKeyStore } from "../token/signing-key-store.js";
import type { CliContext } from "./cli-context.js";

/**
 * The service's KeyRing, configured from the same environment as the service (key-encryption
 * key, rotation period, access-token lifetime), so the command computes lead times and
 * publication windows as every replica does. Null, after one line on io.err, when the
 * environment is not a valid configuration.
 */
export function keyRingForCli(db: PrismaClient, ctx: CliContext): KeyRing | null {
  try {
    const config = loadConfig(ctx.env);
    return new KeyRing(new PrismaSigningKeyStore(db), {
      kek: config.keyEncryptionKey,
      rotationSeconds: config.keyRotationSeconds,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      now: ctx.now,
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    ctx.io.err(`error: run this with the service's environment: ${err.problems.join("; ")}`);
    return null;
  }
}
