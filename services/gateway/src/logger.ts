import { pino, type Logger } from "pino";

export type { Logger };

// The gateway never logs bodies or headers on purpose; these paths are blanked in case one slips in.
const REDACT = [
  "password",
  "*.password",
  "newPassword",
  "*.newPassword",
  "token",
  "*.token",
  "refreshToken",
  "*.refreshToken",
  "accessToken",
  "*.accessToken",
  "authorization",
  "*.authorization",
  'headers["authorization"]',
];

/** Structured JSON logger (pino) writing to stdout; every request line carries its requestId. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "tessera-gateway" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
