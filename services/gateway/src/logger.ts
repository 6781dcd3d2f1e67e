import { createLogger as createServiceLogger, type Logger } from "../../shared/logger.js";

export type { Logger };

/** The gateway's JSON logger (shared redaction rules in services/shared/logger.ts); every request line carries its requestId. */
export function createLogger(level: string): Logger {
  return createServiceLogger("tessera-gateway", level);
}
