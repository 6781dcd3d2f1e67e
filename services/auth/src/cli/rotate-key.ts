import { withCliDatabase } from "../db/cli-database.js";
import { databaseProblem, usage, type CliCommand } from "./cli-context.js";
import { keyRingForCli } from "./key-ring-for-cli.js";
import { printKeys } from "./list-keys.js";

/**
 * rotate-key [--immediately]: adds a successor signing key now (KeyRing.rotateNow). By
 * default it is published at once and signs after the lead time, as a timed rotation does, so
 * verifiers with a cached JWKS learn it first. --immediately makes it sign at once.
 */
export const rotateKey: CliCommand = {
  name: "rotate-key",
  args: "[--immediately]",
  summary: "rotate the signing key now: the new key is published first and signs after the lead time (--immediately: at once; unsafe for verifiers with a cached JWKS)",
  async run(args, ctx) {
    const immediately = args.length === 1 && args[0] === "--immediately";
    if (args.length > 0 && !immediately) return usage(this, ctx);
    return withCliDatabase(
      ctx.env,
      ctx.io,
      async (db) => {
        const ring = keyRingForCli(db, ctx);
        if (!ring) return 1;
        const outcome = await ring.rotateNow({ immediately });
        const at = outcome.activatesAt.toISOString();
        const inSeconds = Math.max(0, Math.round((outcome.activatesAt.getTime() - ctx.now()) / 1000));
        if (outcome.kind === "already_upcoming") {
          ctx.io.out(`key ${outcome.kid} is already published and starts signing at ${at} (in ${inSeconds} s); no key added (--immediately adds one that signs now)`);
        } else if (inSeconds === 0) {
          ctx.io.out(`added key ${outcome.kid}: it signs from now (${at}); running replicas switch to it within a minute`);
          if (immediately) ctx.io.out("verifiers whose cached JWKS predates it refuse its tokens until they fetch the JWKS again");
        } else {
          ctx.io.out(`added key ${outcome.kid}: published now, it starts signing at ${at} (in ${inSeconds} s)`);
        }
        await printKeys(ring, ctx.io);
        return 0;
      },
      databaseProblem,
    );
  },
};
