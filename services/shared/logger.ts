import { pino, type Logger } from "pino";
import { traceLogFields } from "./trace-context.js";

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

/**
 * Structured JSON logger (pino) writing to stdout, tagged with the service's name.
 *
 * Writes are synchronous, so lines reach stdout in the order they were logged. pino's default
 * stdout stream writes asynchronously through libuv's thread pool and, on process.exit, flushes
 * what is still buffered synchronously from the main thread: a line already handed to the pool
 * ("shutting down") could then land after the last one ("stopped"). pino.destination() is
 * synchronous by default for this reason; a line costs one write(2).
 */
export function createLogger(service: string, level: string): Logger {
  return pino(
    {
      level,
      base: { service },
      redact: { paths: REDACT, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      // trace_id and span_id of the request being handled (W3C trace context), on every line.
      mixin: traceLogFields,
    },
    pino.destination({ dest: 1, sync: true }),
  );
}
