import { createLogger as createServiceLogger, type Logger } from "../../../shared/logger.js";

export type { Logger };

/** The auth service's JSON logger (shared redaction rules in services/shared/logger.ts). */
export function createLogger(level: string): Logger {
  return createServiceLogger("tessera-auth", level);
}
