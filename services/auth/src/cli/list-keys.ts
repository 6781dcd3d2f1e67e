import { withCliDatabase, type CliIo } from "../db/cli-database.js";
import type { KeyDescription, KeyRing } from "../token/key-ring.js";
import { databaseProblem, usage, type CliCommand } from "./cli-context.js";
import { keyRingForCli } from "./key-ring-for-cli.js";

/** list-keys: every stored signing key, newest first, with its state and how long it stays in the JWKS. */
export const listKeys: CliCommand = {
  name: "list-keys",
  args: "",
  summary: "list the signing keys: kid, activation, state, published until",
  async run(args, ctx) {
    if (args.length > 0) return usage(this, ctx);
    return withCliDatabase(
      ctx.env,
      ctx.io,
      async (db) => {
        const ring = keyRingForCli(db, ctx);
        if (!ring) return 1;
        await printKeys(ring, ctx.io);
        return 0;
      },
      databaseProblem,
    );
  },
};

/** Prints the key table; shared with rotate-key, which shows the keys after rotating. */
export async function printKeys(ring: KeyRing, io: CliIo): Promise<void> {
  const keys = await ring.describeKeys();
  if (keys.length === 0) {
    io.out("no signing keys yet: the auth service creates the first one when it starts (or run rotate-key)");
    return;
  }
  io.out(row("kid", "state", "activates at", "published until"));
  for (const k of keys) io.out(row(k.kid, k.state, k.activatesAt.toISOString(), publishedUntil(k)));
}

function publishedUntil(k: KeyDescription): string {
  if (!k.publishedUntil) return "open (newest key: until a successor has signed for a token lifetime)";
  const at = k.publishedUntil.toISOString();
  return k.published ? at : `${at} (withdrawn; deleted at the next rotation check)`;
}

const row = (kid: string, state: string, activates: string, until: string) => `${kid.padEnd(36)}  ${state.padEnd(8)}  ${activates.padEnd(24)}  ${until}`;
