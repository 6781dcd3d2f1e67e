import { pino, type Logger } from "pino";

export type { Logger };

// Belt and braces: no service logs secrets on purpose, and these paths are blanked in case a
// request, header set or error object slips into a log line.
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

/** Structured JSON logger (pino) writing to stdout, tagged with the service's name. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACT, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
