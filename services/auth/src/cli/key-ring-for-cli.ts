import type { PrismaClient } from "../db/client.js";
import { KeyRing } from "../token/key-ring.js";
import { PrismaSigningKeyStore } from "../token/signing-key-store.js";
import type { CliContext } from "./cli-context.js";
import { serviceConfig } from "./service-config.js";

/**
 * The service's KeyRing, configured as every replica's (key-encryption key, rotation period,
 * access-token lifetime), so the command computes lead times and publication windows as they
 * do. Null, after one line on io.err, when the environment is not a valid configuration.
 */
export function keyRingForCli(db: PrismaClient, ctx: CliContext): KeyRing | null {
  const config = serviceConfig(ctx);
  if (!config) return null;
  return new KeyRing(new PrismaSigningKeyStore(db), {
    kek: config.keyEncryptionKey,
    rotationSeconds: config.keyRotationSeconds,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    now: ctx.now,
  });
}
