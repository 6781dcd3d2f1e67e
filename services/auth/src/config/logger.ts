import { pino, type Logger } from "pino";

export type { Logger };

// Belt and braces: code never logs secrets on purpose, and these paths are blanked in case a
// request or error object slips into a log line.
const REDACT = [
  "password",
  "*.password",
  "newPassword",
  "*.newPassword",
  "currentPassword",
  "*.currentPassword",
  "passwordHash",
  "*.passwordHash",
  "token",
  "*.token",
  "refreshToken",
  "*.refreshToken",
  "accessToken",
  "*.accessToken",
  "authorization",
  "*.authorization",
  'headers["authorization"]',
  'headers["tessera-service-credential"]',
];

/** Structured JSON logger (pino) writing to stdout. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "tessera-auth" },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
