import { ConfigError, loadConfig, type Config } from "../config/config.js";
import type { CliContext } from "./cli-context.js";

/**
 * The service's configuration from the command's environment, for commands that must compute
 * what the service computes (key lead times, retention periods): run them with the service's
 * environment. Null, after one line on io.err, when it is not a valid configuration.
 */
export function serviceConfig(ctx: CliContext): Config | null {
  try {
    return loadConfig(ctx.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    ctx.io.err(`error: run this with the service's environment: ${err.problems.join("; ")}`);
    return null;
  }
}
