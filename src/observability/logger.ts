/**
 * Structured logs (pino). Secrets and candidate contact details never reach a log: the paths below
 * are censored wherever they appear, and callers log ids and counts, never payload bodies.
 */
import pino, { type Logger } from "pino";

export const REDACTED_PATHS = [
  "password",
  "apiKey",
  "token",
  "accessToken",
  "refreshToken",
  "signature",
  "signatureToken",
  "secret",
  "authorization",
  "cookie",
  "email",
  "emails",
  "phone",
  "phones",
  "headers.authorization",
  "headers.cookie",
  "*.password",
  "*.apiKey",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.signature",
  "*.signatureToken",
  "*.secret",
  "*.authorization",
  "*.email",
  "*.emails",
  "*.phone",
  "*.phones",
  "body",
  "payload",
];

export type { Logger };

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.FULCRUM_LOG_LEVEL ?? "info",
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      base: { service: "fulcrum" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A logger that writes nothing, for tests and library use. */
export const silentLogger: Logger = pino({ level: "silent" });
